//! Substitution scores of the banded alignment: each read base's score
//! against every window base, laid out so that a DP row reads its scores as
//! one contiguous slice.

use super::DpScratch;
use crate::align::bases::CODE;
use crate::align::MapperOptions;

/// Writes `read`'s base codes to `dp.read_codes` and, row by read code, the
/// score of each code against every base of `window` to `dp.score_rows`.
pub(super) fn score_rows(read: &[u8], window: &[u8], options: &MapperOptions, dp: &mut DpScratch) {
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
    dp.score_rows.clear();
    for row in &profile {
        dp.score_rows
            .extend(window.iter().map(|&b| row[CODE[b as usize] as usize & 7]));
    }
    dp.read_codes.clear();
    dp.read_codes.extend(read.iter().map(|&b| CODE[b as usize]));
}
