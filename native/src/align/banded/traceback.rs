//! The traceback of the banded alignment: from the best end back to the
//! start clip, the columns read off the fill's traceback cells and written
//! as runs of operations.

use super::{Op, FROM_DELETION, FROM_DIAGONAL, FROM_START};

/// Walks `traceback` (rows of `width` cells) back from the best end, read
/// row `end_i` and band cell `end_b`; writes the columns, last first, to
/// `columns` and their runs in read order to `ops`. Returns the read bases
/// clipped at the start and the window index of the first aligned
/// reference base.
pub(super) fn trace(
    traceback: &[u8],
    width: usize,
    (end_i, end_b): (usize, usize),
    columns: &mut Vec<Op>,
    ops: &mut Vec<(Op, u32)>,
) -> (usize, usize) {
    #[derive(PartialEq)]
    enum State {
        Best,
        Deletion,
        Insertion,
    }
    columns.clear();
    let (mut i, mut b) = (end_i, end_b);
    let mut state = State::Best;
    loop {
        if state == State::Best && i == 0 {
            break;
        }
        let cell = traceback[(i - 1) * width + b];
        match state {
            State::Best => match cell & 3 {
                FROM_DIAGONAL => {
                    columns.push(Op::Match);
                    i -= 1;
                }
                FROM_START => {
                    columns.push(Op::Match);
                    i -= 1;
                    break;
                }
                FROM_DELETION => state = State::Deletion,
                _ => state = State::Insertion,
            },
            State::Deletion => {
                columns.push(Op::Deletion);
                if cell >> 2 & 1 == 0 {
                    state = State::Best;
                }
                b -= 1;
            }
            State::Insertion => {
                columns.push(Op::Insertion);
                if cell >> 3 & 1 == 0 {
                    state = State::Best;
                }
                i -= 1;
                b += 1;
            }
        }
    }
    let window_start = i + b;
    let mut clip_start = i;
    // An alignment may only open with an insertion against padding; such
    // bases are really clipped.
    while columns.last() == Some(&Op::Insertion) {
        columns.pop();
        clip_start += 1;
    }
    ops.clear();
    for &op in columns.iter().rev() {
        match ops.last_mut() {
            Some((last, count)) if *last == op => *count += 1,
            _ => ops.push((op, 1)),
        }
    }
    (clip_start, window_start)
}
