//! Banded affine-gap alignment of a read against the reference window around
//! its voted diagonal: global in the middle, soft-clipping at both ends.

use super::bases::CODE;
use super::MapperOptions;

/// Alignment operation of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    /// A read base against a reference base (equal or not).
    Match,
    /// A read base absent from the reference.
    Insertion,
    /// A reference base absent from the read.
    Deletion,
}

/// Reusable buffers of the banded alignment.
#[derive(Debug, Clone, Default)]
pub(super) struct DpScratch {
    read_codes: Vec<u8>,
    score_rows: Vec<i32>,
    h_prev: Vec<i32>,
    h_cur: Vec<i32>,
    f_prev: Vec<i32>,
    f_cur: Vec<i32>,
    e_row: Vec<i32>,
    traceback: Vec<u8>,
}

/// "Minus infinity" that survives adding a few penalties without overflow.
pub(super) const NEG: i32 = i32::MIN / 4;

/// Outcome of [`banded_align`], in read and window coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct DpResult {
    pub(super) score: i32,
    pub(super) clip_start: usize,
    pub(super) clip_end: usize,
    /// Window index of the first aligned reference base.
    pub(super) window_start: usize,
    /// Window index after the last aligned reference base.
    pub(super) window_end: usize,
}

/// Traceback cell: bits 0–1 say where H came from (0 diagonal, 1 diagonal
/// after a start clip, 2 deletion, 3 insertion); bit 2 is set when the
/// deletion extends one, bit 3 when the insertion does.
const FROM_DIAGONAL: u8 = 0;
const FROM_START: u8 = 1;
const FROM_DELETION: u8 = 2;
const FROM_INSERTION: u8 = 3;

/// Banded affine-gap alignment of `read` against `window`, which holds the
/// reference from `band` bases before the read's diagonal to `band` bases
/// after its end. The whole read is aligned except for soft clips at either
/// end, each costing `clip_penalty` (so it is local at the ends, global in
/// between). Operations are written to `ops` as runs.
pub(super) fn banded_align(
    read: &[u8],
    window: &[u8],
    band: usize,
    options: &MapperOptions,
    dp: &mut DpScratch,
    columns: &mut Vec<Op>,
    ops: &mut Vec<(Op, u32)>,
) -> Option<DpResult> {
    let length = read.len();
    let width = 2 * band + 1;
    debug_assert_eq!(window.len(), length + 2 * band);

    // Substitution scores by read code (0–3, 4 = N) and window code
    // (0–3, 4 = N, 5 = outside the contig).
    let (hit, miss, ambiguous) = (
        options.match_score,
        -options.mismatch_penalty,
        -options.ambiguous_penalty,
    );
    let outside = -10_000;
    let mut profile = [[outside; 8]; 5];
    for (r, row) in profile.iter_mut().enumerate() {
        for (w, score) in row.iter_mut().enumerate().take(6) {
            *score = match (r, w) {
                (_, 5) => outside,
                (4, _) | (_, 4) => ambiguous,
                (r, w) if r == w => hit,
                _ => miss,
            };
        }
    }
    // Row `c` of `score_rows` scores read code `c` against every window
    // position, so each DP row reads its scores as one contiguous slice.
    let window_length = window.len();
    dp.score_rows.clear();
    for row in &profile {
        dp.score_rows
            .extend(window.iter().map(|&b| row[CODE[b as usize] as usize & 7]));
    }
    dp.read_codes.clear();
    dp.read_codes.extend(read.iter().map(|&b| CODE[b as usize]));

    let gap_first = options.gap_open + options.gap_extend;
    let gap_next = options.gap_extend;
    let clip = options.clip_penalty;
    // Rows as local vectors (not behind `dp`) so the compiler keeps their
    // pointers in registers; one extra cell per row, always NEG, stands for
    // "outside the band".
    let mut h_prev = std::mem::take(&mut dp.h_prev);
    let mut h_cur = std::mem::take(&mut dp.h_cur);
    let mut f_prev = std::mem::take(&mut dp.f_prev);
    let mut f_cur = std::mem::take(&mut dp.f_cur);
    let mut e_row = std::mem::take(&mut dp.e_row);
    for row in [&mut h_prev, &mut h_cur, &mut f_prev, &mut f_cur, &mut e_row] {
        row.clear();
        row.resize(width + 1, NEG);
    }
    h_prev[..width].fill(0);
    let traceback = &mut dp.traceback;
    traceback.clear();
    traceback.resize(length * width, 0);

    let mut best = (NEG, 0usize, 0usize);
    for i in 1..=length {
        let row_start = dp.read_codes[i - 1] as usize * window_length + i - 1;
        let scores = &dp.score_rows[row_start..row_start + width];
        let start = if i == 1 { 0 } else { -clip };
        let row_traceback = &mut traceback[(i - 1) * width..i * width];
        let (up, f_up) = (&h_prev[..=width], &f_prev[..=width]);
        let (here, f_here) = (&mut h_cur[..width], &mut f_cur[..width]);
        // Pass 1 (vectorisable: depends on the previous row only): the
        // diagonal move and insertions.
        for b in 0..width {
            let up_left = up[b];
            let diagonal = up_left.max(start) + scores[b];
            let (f_open, f_extend) = (up[b + 1] - gap_first, f_up[b + 1] - gap_next);
            let f = f_open.max(f_extend);
            f_here[b] = f;
            here[b] = diagonal.max(f);
            // Ties favour the diagonal.
            let source = if f > diagonal {
                FROM_INSERTION
            } else {
                FROM_DIAGONAL + (up_left < start) as u8
            };
            row_traceback[b] = source | ((f_extend > f_open) as u8) << 3;
        }
        // Pass 2 (sequential, one max per cell): deletions. Opening from a
        // cell that itself ends in a deletion never beats extending that
        // deletion, so deletions open from the diagonal-or-insertion score.
        let e_row = &mut e_row[..width];
        let mut e = NEG;
        e_row[0] = NEG;
        for b in 1..width {
            e = (here[b - 1] - gap_first).max(e - gap_next);
            e_row[b] = e;
        }
        // Pass 3 (vectorisable): take deletions where they win.
        for b in 1..width {
            let e = e_row[b];
            let extended = (e_row[b - 1] - gap_next > here[b - 1] - gap_first) as u8;
            let mut cell = row_traceback[b] | extended << 2;
            if e > here[b] {
                cell = (cell & !3) | FROM_DELETION;
            }
            row_traceback[b] = cell;
        }
        for b in 1..width {
            here[b] = here[b].max(e_row[b]);
        }
        // An alignment never profits from ending in a gap (the cell before
        // the gap scores higher and is met first), so the row maximum is the
        // best end in this row.
        let row_best = here.iter().copied().max().unwrap_or(NEG);
        let end_score = if i == length {
            row_best
        } else {
            row_best - clip
        };
        if end_score > best.0 {
            let b = here.iter().position(|&h| h == row_best).unwrap_or(0);
            best = (end_score, i, b);
        }
        std::mem::swap(&mut h_prev, &mut h_cur);
        std::mem::swap(&mut f_prev, &mut f_cur);
    }
    dp.h_prev = h_prev;
    dp.h_cur = h_cur;
    dp.f_prev = f_prev;
    dp.f_cur = f_cur;
    dp.e_row = e_row;
    let (score, end_i, end_b) = best;
    if score <= NEG / 2 {
        return None;
    }

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
        let cell = dp.traceback[(i - 1) * width + b];
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
    Some(DpResult {
        score,
        clip_start,
        clip_end: length - end_i,
        window_start,
        window_end: end_i + end_b,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::bases::OUTSIDE;
    use crate::align::reverse_complement;
    use crate::align::testing::{qualities, setup};
    use crate::align::{ReadEvent, Strand};
    use crate::caller::simulation::Rng;

    /// Aligns `read` against `window` with the default options.
    fn align(read: &[u8], window: &[u8], band: usize) -> (DpResult, Vec<(Op, u32)>) {
        let (mut dp, mut columns, mut ops) = (DpScratch::default(), Vec::new(), Vec::new());
        let options = MapperOptions::default();
        let result = banded_align(
            read,
            window,
            band,
            &options,
            &mut dp,
            &mut columns,
            &mut ops,
        );
        (result.expect("an alignment"), ops)
    }

    #[test]
    fn aligns_a_deletion_inside_the_band_with_affine_cost() {
        let reference = Rng::new(13).bases(300);
        let band = 16;
        let mut read = reference[100..140].to_vec();
        read.extend_from_slice(&reference[143..203]);
        let (result, ops) = align(&read, &reference[100 - band..200 + band], band);
        // 100 matching read bases, one gap of 3: 100 - (6 + 3).
        assert_eq!(result.score, 91);
        assert_eq!((result.clip_start, result.clip_end), (0, 0));
        assert_eq!((result.window_start, result.window_end), (band, band + 103));
        let kinds: Vec<Op> = ops.iter().map(|&(op, _)| op).collect();
        assert_eq!(kinds, [Op::Match, Op::Deletion, Op::Match]);
        assert_eq!(ops[1].1, 3);
    }

    #[test]
    fn clips_read_bases_that_face_the_outside_of_the_contig() {
        let reference = Rng::new(14).bases(200);
        let band = 16;
        // The read's first 10 bases lie before the contig's start.
        let read = [Rng::new(15).bases(10), reference[..90].to_vec()].concat();
        let mut window = vec![OUTSIDE; band + 10];
        window.extend_from_slice(&reference[..90 + band]);
        let (result, ops) = align(&read, &window, band);
        assert_eq!(result.clip_start, 10);
        assert_eq!(result.window_start, band + 10);
        assert_eq!(ops, [(Op::Match, 90)]);
        assert_eq!(result.score, 90 - 5);
    }

    /// A read from `start` with `inserted` bases placed after `at` read bases.
    fn read_with_insertion(reference: &[u8], start: usize, at: usize, inserted: &[u8]) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(inserted);
        read.extend_from_slice(&reference[start + at..start + 150 - inserted.len()]);
        read
    }

    /// A read from `start` missing `length` reference bases after `at` bases.
    fn read_with_deletion(reference: &[u8], start: usize, at: usize, length: usize) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(&reference[start + at + length..start + 150 + length]);
        read
    }

    #[test]
    fn finds_insertions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(4);
        // Inserted bases that cannot be mistaken for the flanking reference.
        for (at, inserted) in [
            (75, b"GATTACA".as_slice()),
            (14, b"TT"),
            (136, b"CCG"),
            (141, b"TT"),
            (9, b"A"),
        ] {
            let start = 3_000;
            let mut bases = inserted.to_vec();
            if reference[start + at - 1] == bases[bases.len() - 1] {
                bases = bases
                    .iter()
                    .map(|&b| if b == b'A' { b'C' } else { b'A' })
                    .collect();
            }
            let read = read_with_insertion(&reference, start, at, &bases);
            for (strand, bases_in) in [
                (Strand::Forward, read.clone()),
                (Strand::Reverse, reverse_complement(&read)),
            ] {
                let alignment = mapper.map_read(&index, &bases_in, &qualities(150)).unwrap();
                assert_eq!(alignment.strand, strand);
                assert_eq!(alignment.start, start as u32, "insertion after {at} bases");
                let insertions: Vec<_> = alignment
                    .events
                    .iter()
                    .filter(|e| matches!(e, ReadEvent::Insertion { .. }))
                    .collect();
                assert_eq!(
                    insertions.len(),
                    1,
                    "insertion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Insertion {
                    position,
                    bases: found,
                    ..
                } = insertions[0]
                else {
                    unreachable!()
                };
                // The aligner may place an indel anywhere in its repeat; the
                // pileup normalises. Compare normalised forms.
                let mut expected = bases.clone();
                let expected_position =
                    crate::pileup::left_shift_insertion(&reference, start + at, &mut expected);
                let mut found = found.clone();
                let found_position =
                    crate::pileup::left_shift_insertion(&reference, *position as usize, &mut found);
                assert_eq!((found_position, found), (expected_position, expected));
                assert_eq!(alignment.events.len(), 1, "{:?}", alignment.events);
            }
        }
    }

    #[test]
    fn finds_deletions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(5);
        for (at, length) in [(70, 10), (15, 3), (133, 4), (100, 1), (8, 2), (141, 1)] {
            let start = 11_000;
            let read = read_with_deletion(&reference, start, at, length);
            for bases in [read.clone(), reverse_complement(&read)] {
                let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
                assert_eq!(alignment.start, start as u32);
                assert_eq!(alignment.end, (start + 150 + length) as u32);
                assert_eq!(
                    alignment.events.len(),
                    1,
                    "deletion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Deletion {
                    position,
                    length: found,
                    ..
                } = alignment.events[0]
                else {
                    panic!("expected a deletion, got {:?}", alignment.events);
                };
                assert_eq!(found as usize, length);
                let normalised =
                    crate::pileup::left_shift_deletion(&reference, position as usize, length);
                let expected = crate::pileup::left_shift_deletion(&reference, start + at, length);
                assert_eq!(normalised, expected);
            }
        }
    }

    #[test]
    fn soft_clips_an_end_that_does_not_belong() {
        let (reference, index, mut mapper) = setup(6);
        let mut read = reference[2_000..2_130].to_vec();
        read.extend_from_slice(&Rng::new(99).bases(20));
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.start, 2_000);
        assert!(alignment.clip_end >= 15, "clip_end {}", alignment.clip_end);
        assert!(alignment.end <= 2_135);
        assert!(alignment.events.len() <= 2, "{:?}", alignment.events);
    }
}
