//! The DP fill of the banded alignment: one row per read base, the band's
//! cells scored in three passes (the diagonal and insertions, deletions,
//! then deletions taken where they win), each cell's source kept for the
//! traceback.

use super::{DpScratch, FROM_DELETION, FROM_DIAGONAL, FROM_INSERTION, NEG};
use crate::align::MapperOptions;

/// Fills the band (`width` cells a row) for a read of `length` bases against
/// a window of `window_length`, from the scores [`super::scoring`] left in
/// `dp`; the traceback cells go to `dp.traceback`. Returns the best end as
/// (score, read row, band cell).
pub(super) fn fill(
    length: usize,
    window_length: usize,
    width: usize,
    options: &MapperOptions,
    dp: &mut DpScratch,
) -> (i32, usize, usize) {
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
    best
}
