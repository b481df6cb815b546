//! What a call carries beside its quality: reads per strand, the strand-bias
//! test, how many alternate reads lay near a read's end, and the FILTER
//! values it fails.

use super::genotype::Assessment;
use super::probability::{phred, StrandTable};
use super::{CallerOptions, CallingMode, VariantStatus, MAX_QUALITY};
use crate::pileup::{AlleleSupport, Coverage, Pileup};

/// Phred strand bias ([`Checks::strand_bias`]) above which an allele may be
/// filtered as [`VariantFilter::StrandBias`]: a chance below one in a
/// million. A high score alone never filters: at 10,000 reads a harmless
/// imbalance of a few percent scores that high (see
/// [`StrandCounts::one_strand_only`]).
pub const STRAND_BIAS_MIN_PHRED: f64 = 60.0;

/// Each strand must carry at least this share of the reference reads for
/// the alternate's absence from one of them to mean anything: at an
/// amplicon's end all reads share one strand, and so do the allele's.
pub const MIN_REFERENCE_STRAND_SHARE: f64 = 0.1;

/// The alternate allele counts as (nearly) absent from a strand when its
/// frequency there is at most this fraction of its frequency on the other.
pub const ABSENT_STRAND_RATIO: f64 = 0.1;

/// A FILTER value a call fails (VCF `FILTER`; none means `PASS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantFilter {
    /// Quality under the minimum, or too few (uniquely placed) alternate
    /// reads to stand on.
    LowQual,
    /// Depth under the minimum.
    LowDepth,
    /// Seen on one strand only, while the reference is read on both
    /// (population calling only).
    StrandBias,
}

impl VariantFilter {
    /// `"LowQual"`, `"LowDepth"` or `"StrandBias"`, as VCF writes them.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantFilter::LowQual => "LowQual",
            VariantFilter::LowDepth => "LowDepth",
            VariantFilter::StrandBias => "StrandBias",
        }
    }
}

/// Reads of the reference and of the alternate allele, per strand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StrandCounts {
    /// Forward-strand reads showing the reference.
    pub forward_ref: u32,
    /// Reverse-strand reads showing the reference.
    pub reverse_ref: u32,
    /// Forward-strand reads showing the alternate allele (`ADF`).
    pub forward_alt: u32,
    /// Reverse-strand reads showing the alternate allele (`ADR`).
    pub reverse_alt: u32,
}

impl StrandCounts {
    /// The counts of SNV `support` at global `position`: the reference
    /// reads are the depth's, less every alternate base's.
    pub(super) fn of_snv(
        pileup: &Pileup,
        coverage: &Coverage,
        position: u32,
        support: &AlleleSupport,
    ) -> Self {
        let (mut forward_alternates, mut reverse_alternates) = (0u32, 0u32);
        for base in *b"ACGT" {
            let other = pileup.snv_support(position, base);
            forward_alternates += other.forward();
            reverse_alternates += other.reverse;
        }
        let reverse = coverage.reverse_depth(position);
        let forward = coverage.depth(position).saturating_sub(reverse);
        StrandCounts {
            forward_ref: forward.saturating_sub(forward_alternates),
            reverse_ref: reverse.saturating_sub(reverse_alternates),
            forward_alt: support.forward(),
            reverse_alt: support.reverse,
        }
    }

    /// The counts of indel `support` anchored at global `anchor`.
    pub(super) fn of_indel(coverage: &Coverage, anchor: u32, support: &AlleleSupport) -> Self {
        let reverse = coverage.reverse_indel_depth(anchor);
        let forward = coverage.indel_depth(anchor).saturating_sub(reverse);
        StrandCounts {
            forward_ref: forward.saturating_sub(support.forward()),
            reverse_ref: reverse.saturating_sub(support.reverse),
            forward_alt: support.forward(),
            reverse_alt: support.reverse,
        }
    }

    /// Phred-scaled two-sided Fisher test of strand against allele, or
    /// `None` when one strand has no reads at all (nothing to compare).
    pub fn strand_bias(&self) -> Option<f64> {
        let forward = self.forward_ref + self.forward_alt;
        let reverse = self.reverse_ref + self.reverse_alt;
        if forward == 0 || reverse == 0 {
            return None;
        }
        let table = StrandTable {
            forward_ref: self.forward_ref,
            reverse_ref: self.reverse_ref,
            forward_alt: self.forward_alt,
            reverse_alt: self.reverse_alt,
        };
        Some(phred(table.ln_fisher_p(), MAX_QUALITY))
    }

    /// Whether the alternate allele is (nearly) absent from one strand
    /// while the reference is read on both: frequency on its weaker strand
    /// at most [`ABSENT_STRAND_RATIO`] of that on the stronger, each strand
    /// with [`MIN_REFERENCE_STRAND_SHARE`] of the reference reads or more.
    pub fn one_strand_only(&self) -> bool {
        let reference = f64::from(self.forward_ref + self.reverse_ref);
        let min_reference = MIN_REFERENCE_STRAND_SHARE * reference;
        if reference == 0.0
            || f64::from(self.forward_ref) < min_reference
            || f64::from(self.reverse_ref) < min_reference
        {
            return false;
        }
        let frequency = |alt: u32, reference: u32| f64::from(alt) / f64::from(alt + reference);
        let forward = frequency(self.forward_alt, self.forward_ref);
        let reverse = frequency(self.reverse_alt, self.reverse_ref);
        forward.min(reverse) <= ABSENT_STRAND_RATIO * forward.max(reverse)
    }
}

/// A call's strands, strand bias, read-end share and filters.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Checks {
    pub(super) strands: StrandCounts,
    pub(super) strand_bias: Option<f64>,
    pub(super) read_end_fraction: f64,
    pub(super) filters: Vec<VariantFilter>,
}

impl Checks {
    /// Checks an assessed allele, which needs `min_quality` (the option's,
    /// or in population mode the raised bar of `Background::min_quality`).
    /// In population mode a strand-biased
    /// allele is filtered, and no longer confirmed; in germline mode the
    /// status stays the genotype model's, and the filters name the
    /// thresholds a candidate misses.
    pub(super) fn new(
        strands: StrandCounts,
        support: &AlleleSupport,
        assessment: &mut Assessment,
        min_quality: f64,
        options: &CallerOptions,
    ) -> Self {
        let strand_bias = strands.strand_bias();
        let mut filters = Vec::new();
        let placed = support.count - support.zero_mapping_quality;
        if assessment.quality < min_quality
            || assessment.alt_count < options.min_alt_count
            || placed < options.min_placed_alt_count
        {
            filters.push(VariantFilter::LowQual);
        }
        if assessment.depth < options.min_depth {
            filters.push(VariantFilter::LowDepth);
        }
        if options.mode == CallingMode::Population
            && strand_bias.is_some_and(|phred| phred > STRAND_BIAS_MIN_PHRED)
            && strands.one_strand_only()
        {
            filters.push(VariantFilter::StrandBias);
            assessment.status = VariantStatus::Candidate;
        }
        Checks {
            strands,
            strand_bias,
            read_end_fraction: f64::from(support.near_read_end) / f64::from(support.count.max(1)),
            filters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(
        forward_ref: u32,
        reverse_ref: u32,
        forward_alt: u32,
        reverse_alt: u32,
    ) -> StrandCounts {
        StrandCounts {
            forward_ref,
            reverse_ref,
            forward_alt,
            reverse_alt,
        }
    }

    #[test]
    fn calls_an_allele_one_sided_only_when_the_reference_is_read_on_both_strands() {
        let one_sided = counts(480, 490, 30, 0);
        assert!(one_sided.strand_bias().unwrap() > STRAND_BIAS_MIN_PHRED);
        assert!(one_sided.one_strand_only());
        // At an amplicon's end every read is forward: nothing to test.
        let amplicon_end = counts(970, 0, 30, 0);
        assert_eq!(amplicon_end.strand_bias(), None);
        assert!(!amplicon_end.one_strand_only());
        // Nearly so: a few reverse reference reads do not make a bias.
        let mostly_forward = counts(960, 10, 30, 0);
        assert!(mostly_forward.strand_bias().unwrap() < STRAND_BIAS_MIN_PHRED);
        assert!(!mostly_forward.one_strand_only());
        // At 100,000 reads a mild imbalance scores high but is no bias.
        let deep = counts(47_000, 48_000, 2_900, 2_100);
        assert!(deep.strand_bias().unwrap() > STRAND_BIAS_MIN_PHRED);
        assert!(!deep.one_strand_only());
        assert_eq!(counts(500, 500, 25, 25).strand_bias(), Some(0.0));
    }

    /// `cargo test --release -- --ignored tests_deep_strand_tables`: prints
    /// the time of one strand-bias test at 100,000 reads and at 100.
    #[test]
    #[ignore]
    fn tests_deep_strand_tables_as_fast_as_shallow_ones() {
        let time = |depth: u32| {
            let started = std::time::Instant::now();
            let mut total = 0.0;
            for i in 0..10_000u32 {
                let alt = 1 + i % (depth / 10);
                let forward_alt = alt * (i % 7) / 6;
                let table = counts(depth / 2, depth / 2 - alt, forward_alt, alt - forward_alt);
                total += table.strand_bias().unwrap();
            }
            assert!(total.is_finite());
            started.elapsed().as_secs_f64() / 10_000.0
        };
        let (deep, shallow) = (time(100_000), time(100));
        println!(
            "per test: {:.2} µs at 100,000 reads, {:.2} µs at 100 ({:.1}×)",
            deep * 1e6,
            shallow * 1e6,
            deep / shallow
        );
    }
}
