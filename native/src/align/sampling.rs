//! Which of the reference's k-mers a seed table holds, and which k-mer of a
//! read a seed looks up.
//!
//! The long seeds are (w, k)-minimizers: of every `w` consecutive k-mers the
//! one of smallest hash (leftmost on ties). A read looks up the minimizer of
//! the window at each of its seeds: when the read matches the reference over
//! that window (`w + k - 1` bases) the reference holds the same k-mer there,
//! so one look-up per seed still finds it, at about `2 / (w + 1)` of the
//! entries of a full table.
//!
//! The short seeds are looked up at every offset of a read, so they need no
//! agreement between read and reference: the table holds the k-mers at every
//! `stride`-th reference position, and any exact stretch of `k + stride - 1`
//! bases holds one of them (minimizers would promise that only at
//! `k + w - 1` for the same density of about `2 / (w + 1)`).

use std::ops::Range;

use super::bases::CODE;
use super::kmer_table::mix;

/// How a table samples the reference's k-mers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sampling {
    /// The minimizer of every `window` consecutive k-mers.
    Minimizers {
        /// Window length in k-mers (1 holds every k-mer).
        window: usize,
    },
    /// The k-mers starting at global positions that are multiples of `stride`.
    Stride {
        /// Distance between sampled positions (1 holds every k-mer).
        stride: usize,
    },
}

impl Sampling {
    /// The scheme's parameter (window or stride), for the index file.
    pub(super) fn parameter(self) -> usize {
        match self {
            Sampling::Minimizers { window } => window,
            Sampling::Stride { stride } => stride,
        }
    }
}

/// Rolls over `bases` and calls `visit(start, canonical, orientation)` for
/// each k-mer without `N`; `start` is relative to `bases`.
fn for_each_kmer(bases: &[u8], k: usize, mut visit: impl FnMut(usize, u64, u64)) {
    let mask = (1u64 << (2 * k)) - 1;
    let shift = 2 * (k - 1);
    let (mut forward, mut reverse, mut run) = (0u64, 0u64, 0usize);
    for (i, &base) in bases.iter().enumerate() {
        let code = CODE[base as usize] as u64;
        if code > 3 {
            run = 0;
            continue;
        }
        forward = ((forward << 2) | code) & mask;
        reverse = (reverse >> 2) | ((3 - code) << shift);
        run += 1;
        if run >= k {
            let (canonical, orientation) = if forward < reverse {
                (forward, 0)
            } else {
                (reverse, 1)
            };
            visit(i + 1 - k, canonical, orientation);
        }
    }
}

/// Calls `visit(position, hash, orientation)` for each sampled k-mer of the
/// reference `sequence` (contigs starting at `offsets`, plus the total length)
/// whose global `position` lies in `range`, in increasing position. Disjoint
/// ranges that cover the reference visit every sampled k-mer exactly once,
/// so the reference can be sampled in parallel pieces.
pub(super) fn for_each_sample(
    sequence: &[u8],
    offsets: &[u32],
    k: usize,
    sampling: Sampling,
    range: Range<usize>,
    mut visit: impl FnMut(usize, u64, u64),
) {
    for contig in offsets.windows(2) {
        let (start, end) = (contig[0] as usize, contig[1] as usize);
        if end <= range.start || start >= range.end {
            continue;
        }
        match sampling {
            Sampling::Stride { stride } => {
                let from = start.max(range.start);
                let to = end.min(range.end + k - 1);
                for_each_kmer(&sequence[from..to], k, |i, canonical, orientation| {
                    let position = from + i;
                    if position.is_multiple_of(stride) {
                        visit(position, mix(canonical), orientation);
                    }
                });
            }
            Sampling::Minimizers { window } => {
                // Every window holding a k-mer of `range` starts and ends
                // within `window + k` bases of it.
                let from = start.max(range.start.saturating_sub(window + k));
                let to = end.min(range.end + window + k);
                let mut last = usize::MAX;
                for_each_minimizer(&sequence[from..to], k, window, |i, hash, orientation| {
                    let position = from + i;
                    if range.contains(&position) && position != last {
                        last = position;
                        visit(position, hash, orientation);
                    }
                });
            }
        }
    }
}

/// Calls `visit(start, hash, orientation)` with the minimizer of every full
/// window of `window` consecutive k-mers without `N` (a minimizer kept over
/// several windows is visited once per window).
fn for_each_minimizer(
    bases: &[u8],
    k: usize,
    window: usize,
    mut visit: impl FnMut(usize, u64, u64),
) {
    // The window's k-mers as (hash, start, orientation), oldest overwritten.
    let mut ring = vec![(u64::MAX, 0usize, 0u64); window];
    let (mut filled, mut least) = (0usize, 0usize);
    let mut previous_end = usize::MAX;
    let smallest = |ring: &[(u64, usize, u64)]| {
        (0..ring.len())
            .min_by_key(|&i| (ring[i].0, ring[i].1))
            .unwrap_or(0)
    };
    for_each_kmer(bases, k, |start, canonical, orientation| {
        if previous_end != usize::MAX && start != previous_end + 1 {
            filled = 0; // an N broke the run of k-mers
        }
        previous_end = start;
        let hash = mix(canonical);
        let slot = filled % window;
        let leaving_least = filled >= window && least == slot;
        ring[slot] = (hash, start, orientation);
        filled += 1;
        if filled < window {
            return;
        }
        if filled == window || leaving_least {
            least = smallest(&ring);
        } else if hash < ring[least].0 {
            least = slot;
        }
        let (hash, start, orientation) = ring[least];
        visit(start, hash, orientation);
    });
}

/// The k-mer a minimizer table is looked up with for a seed at `offset` of
/// `read` (normalised): the minimizer of the `window` k-mers from `offset`
/// (moved back to fit the read; all its k-mers when it is shorter), as
/// (read offset, canonical k-mer, orientation). `None` when every k-mer of
/// the window holds an `N` or the read is shorter than `k`.
pub(super) fn read_minimizer(
    read: &[u8],
    offset: usize,
    k: usize,
    window: usize,
) -> Option<(usize, u64, u64)> {
    let kmers = (read.len() + 1).checked_sub(k)?;
    let first = offset.min(kmers.saturating_sub(window));
    let bases = &read[first..(first + window + k - 1).min(read.len())];
    let mut best: Option<(u64, usize, u64, u64)> = None;
    for_each_kmer(bases, k, |start, canonical, orientation| {
        let hash = mix(canonical);
        if best.is_none_or(|(h, ..)| hash < h) {
            best = Some((hash, first + start, canonical, orientation));
        }
    });
    best.map(|(_, start, canonical, orientation)| (start, canonical, orientation))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::simulation::Rng;

    fn samples(sequence: &[u8], sampling: Sampling, range: Range<usize>) -> Vec<usize> {
        let length = sequence.len() as u32;
        let offsets = [0, 6_000.min(length), length];
        let mut positions = Vec::new();
        for_each_sample(sequence, &offsets, 19, sampling, range, |p, _, _| {
            positions.push(p)
        });
        positions
    }

    #[test]
    fn pieces_of_the_reference_sample_what_the_whole_does() {
        let mut sequence = Rng::new(5).bases(10_000);
        sequence[3_000..3_010].fill(b'N');
        for sampling in [
            Sampling::Minimizers { window: 10 },
            Sampling::Stride { stride: 4 },
        ] {
            let whole = samples(&sequence, sampling, 0..10_000);
            let mut pieces = samples(&sequence, sampling, 0..2_995);
            pieces.extend(samples(&sequence, sampling, 2_995..6_003));
            pieces.extend(samples(&sequence, sampling, 6_003..10_000));
            assert_eq!(pieces, whole, "{sampling:?}");
            // No k-mer spans the N run or the contig boundary.
            assert!(whole.iter().all(|&p| !(2_982..3_010).contains(&p)));
            assert!(whole.iter().all(|&p| !(5_982..6_000).contains(&p)));
        }
        let minimizers = samples(&sequence, Sampling::Minimizers { window: 10 }, 0..10_000);
        let density = minimizers.len() as f64 / 10_000.0;
        assert!((0.14..0.23).contains(&density), "{density}");
    }

    #[test]
    fn a_read_window_finds_the_reference_minimizer_it_matches() {
        let sequence = Rng::new(6).bases(5_000);
        let sampled = samples(&sequence, Sampling::Minimizers { window: 10 }, 0..5_000);
        let read = &sequence[1_000..1_150];
        for offset in [0, 40, 131] {
            let (start, ..) = read_minimizer(read, offset, 19, 10).unwrap();
            assert!(sampled.contains(&(1_000 + start)), "offset {offset}");
            assert!(start >= offset.min(150 - 19 + 1 - 10) && start < offset + 10);
        }
        assert!(read_minimizer(&read[..18], 0, 19, 10).is_none());
    }
}
