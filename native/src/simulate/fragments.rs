//! Where each simulated fragment comes from: contig, haplotype, span and
//! strand, drawn from the reads stream ahead of the copying of its bases.

use std::collections::VecDeque;

use super::{ReadOptions, Sample};
use crate::rng::{Rng, Stream};

/// Attempts to draw a fragment whose reads are at most 10 % `N`.
pub const N_ATTEMPTS: u32 = 8;

/// Fragments whose origin is drawn (and bases prefetched) before they are
/// copied: hides memory latency on large references.
const LOOKAHEAD: usize = 16;

/// Where a fragment comes from.
#[derive(Clone, Copy, Debug)]
pub(super) struct Fragment {
    pub contig: usize,
    pub haplotype: usize,
    pub start: usize,
    pub length: usize,
    pub reverse: bool,
}

/// Hints the CPU to load `bytes` into cache.
#[inline(always)]
fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for line in bytes.chunks(64) {
        // SAFETY: prefetching is a hint and never faults.
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr().cast(),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

/// Draws fragment origins from the reads stream, [`LOOKAHEAD`] ahead of use.
#[derive(Clone, Debug)]
pub(super) struct FragmentOrigins {
    rng: Rng,
    ahead: VecDeque<Fragment>,
    contig_ends: Vec<u64>,
    total_length: u64,
}

impl FragmentOrigins {
    /// Origins over `sample`, whose reference has `total_length` bases.
    pub fn new(sample: &Sample, total_length: u64, seed: u64) -> Self {
        let mut end = 0;
        let contig_ends = sample
            .contigs
            .iter()
            .map(|c| {
                end += c.reference_length;
                end
            })
            .collect();
        Self {
            rng: Rng::new(seed, Stream::Reads),
            ahead: VecDeque::with_capacity(LOOKAHEAD),
            contig_ends,
            total_length,
        }
    }

    /// The next fragment's origin, keeping [`LOOKAHEAD`] drawn behind it.
    pub fn next(&mut self, sample: &Sample, options: &ReadOptions) -> Fragment {
        while self.ahead.len() < LOOKAHEAD {
            let fragment = self.draw(sample, options);
            self.ahead.push_back(fragment);
        }
        self.ahead.pop_front().expect("fragments were drawn ahead")
    }

    /// Draws the origin of the next fragment from the reads stream.
    fn draw(&mut self, sample: &Sample, options: &ReadOptions) -> Fragment {
        let read_length = options.read_length;
        let mut attempts = 0;
        loop {
            let g = self.rng.below(self.total_length);
            let contig = self.contig_ends.partition_point(|&end| end <= g);
            let h = self.rng.bit() as usize;
            let hap = &sample.contigs[contig].haplotypes[h];
            if hap.len() < read_length {
                continue;
            }
            let length = if options.paired {
                let sd = u64::from(options.insert_sd);
                let spread = 2 * sd + 1;
                let sum = self.rng.below(spread) + self.rng.below(spread) + self.rng.below(spread);
                let insert = i64::from(options.insert_mean) - 3 * sd as i64 + sum as i64;
                (insert.max(read_length as i64) as usize).min(hap.len())
            } else {
                read_length
            };
            let start = self.rng.below((hap.len() - length + 1) as u64) as usize;
            let reverse = self.rng.bit() == 1;
            if sample.contigs[contig].has_n && attempts < N_ATTEMPTS {
                let too_many_n = |from: usize| {
                    hap[from..from + read_length]
                        .iter()
                        .filter(|&&b| b == b'N')
                        .count()
                        * 10
                        > read_length
                };
                if too_many_n(start) || (options.paired && too_many_n(start + length - read_length))
                {
                    attempts += 1;
                    continue;
                }
            }
            let fragment = Fragment {
                contig,
                haplotype: h,
                start,
                length,
                reverse,
            };
            // Ask for the bases now; they are copied LOOKAHEAD fragments later.
            prefetch(&hap[start..start + read_length]);
            if options.paired {
                prefetch(&hap[start + length - read_length..start + length]);
            }
            return fragment;
        }
    }
}
