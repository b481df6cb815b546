//! The error rates a sample's reads show, learnt from its own pileup: how
//! often a read shows a given wrong base at a clean site, per substitution
//! (reference base, read base), and how often it shows some indel.
//!
//! Base qualities promise error rates that reads do not always keep (a
//! library's damage, a flow cell's bad tiles, qualities binned to Q37). An
//! allele's error model takes the worse of what its qualities say and what
//! these rates show, so no quality claims more than the data bears out.

use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, Pileup};

/// Alleles at most this frequent count as errors...
const NOISE_MAX_FREQUENCY: f64 = 0.01;
/// ...and so do alleles with this few reads, however shallow the site.
const NOISE_MAX_COUNT: u32 = 2;

/// Observed error rates of a sample's reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Background {
    /// `snv[reference][read]`: by 2-bit base code, the rate at which a read
    /// shows that wrong base.
    snv: [[f64; 4]; 4],
    /// The rate at which a read shows an indel by error, any indel.
    indel: f64,
    /// Alleles that could have been called: three wrong bases and one
    /// indel per position with reads.
    tests: u64,
}

/// 2-bit code of a base, `None` for anything but `ACGT`.
fn code(base: u8) -> Option<usize> {
    b"ACGT".iter().position(|&b| b == base)
}

/// Whether `count` reads of `depth` look like sequencing errors.
fn is_noise(count: u32, depth: u32) -> bool {
    count <= NOISE_MAX_COUNT || f64::from(count) <= NOISE_MAX_FREQUENCY * f64::from(depth)
}

/// What [`Background`] is learnt from, counted over some chunks of a pileup:
/// counts of chunks add up.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct BackgroundCounts {
    depth_by_base: [u64; 4],
    covered: u64,
    errors: [[u64; 4]; 4],
    indel_depth: u64,
    indel_errors: u64,
}

impl BackgroundCounts {
    /// Counts chunk `chunk` of `pileup`, whose depths `coverage` holds.
    pub(super) fn of_chunk(
        pileup: &Pileup,
        coverage: &Coverage,
        index: &ReferenceIndex,
        chunk: usize,
    ) -> Self {
        let sequence = index.global_sequence();
        let range = pileup.chunk_range(chunk);
        let mut counts = BackgroundCounts::default();
        for (&base, &depth) in sequence[range.start as usize..range.end as usize]
            .iter()
            .zip(coverage.depths())
        {
            if let Some(code) = code(base) {
                counts.depth_by_base[code] += u64::from(depth);
            }
            counts.covered += u64::from(depth > 0);
        }
        for (allele, support) in pileup.chunk_snv_alleles(chunk, true) {
            let reference = sequence.get(allele.position as usize).copied();
            let (Some(reference), Some(read)) = (reference.and_then(code), code(allele.base))
            else {
                continue;
            };
            if is_noise(support.count, coverage.depth(allele.position)) {
                counts.errors[reference][read] += u64::from(support.count);
            }
        }
        counts.indel_depth = coverage.indel_depths().iter().map(|&d| u64::from(d)).sum();
        counts.indel_errors = pileup
            .chunk_indel_alleles(chunk)
            .filter(|(allele, support)| {
                is_noise(support.count, coverage.indel_depth(allele.anchor(index)))
            })
            .map(|(_, support)| u64::from(support.count))
            .sum();
        counts
    }

    /// Adds `other`'s counts.
    pub(super) fn add(&mut self, other: &BackgroundCounts) {
        for code in 0..4 {
            self.depth_by_base[code] += other.depth_by_base[code];
            for read in 0..4 {
                self.errors[code][read] += other.errors[code][read];
            }
        }
        self.covered += other.covered;
        self.indel_depth += other.indel_depth;
        self.indel_errors += other.indel_errors;
    }
}

impl Background {
    /// The rates of every allele that looks like noise (see [`is_noise`])
    /// against the depth of the chunks counted.
    pub(super) fn from_counts(counts: &BackgroundCounts) -> Self {
        let rate = |errors: u64, depth: u64| {
            if depth == 0 {
                0.0
            } else {
                errors as f64 / depth as f64
            }
        };
        let mut snv = [[0.0; 4]; 4];
        for (reference, rates) in snv.iter_mut().enumerate() {
            for (read, rate_of) in rates.iter_mut().enumerate() {
                *rate_of = rate(
                    counts.errors[reference][read],
                    counts.depth_by_base[reference],
                );
            }
        }
        Background {
            snv,
            indel: rate(counts.indel_errors, counts.indel_depth),
            tests: 4 * counts.covered,
        }
    }

    /// The rate at which a read shows `read` where the reference has
    /// `reference` by error (0 for bases other than `ACGT`).
    pub(super) fn snv(&self, reference: u8, read: u8) -> f64 {
        match (code(reference), code(read)) {
            (Some(reference), Some(read)) => self.snv[reference][read],
            _ => 0.0,
        }
    }

    /// The rate at which a read shows an indel by error.
    pub(super) fn indel(&self) -> f64 {
        self.indel
    }

    /// The quality a call needs for a chance of `min_quality` (Phred) that
    /// errors alone make one anywhere: every allele that could have been
    /// called is a test, so the bar rises by their number (Bonferroni, as
    /// LoFreq does). Over 30 kbp it is 51 for a `min_quality` of 20.
    pub(super) fn min_quality(&self, min_quality: f64) -> f64 {
        min_quality + 10.0 * (self.tests.max(1) as f64).log10()
    }
}
