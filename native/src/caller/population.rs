//! The population model: how likely sequencing errors alone are to show an
//! allele as often as its reads do, whatever its frequency; no genotype.
//!
//! Every read that could show the allele shows it by error with one
//! probability `e`, the worse of two:
//! * for an SNV, what the alternate reads' base qualities say (their mean,
//!   capped at [`CallerOptions::max_base_quality`]; a third of it, as the
//!   allele is one of three wrong bases); for an indel, [`INDEL_QUALITY`]
//!   or its reads' mean mapping quality if lower, or the site's homopolymer
//!   indel noise;
//! * what the sample's reads show at clean sites ([`Background`]).
//!
//! `QUAL = −10 log10 P(X ≥ alt_count)`, `X ~ Binomial(depth, e)`, exact in
//! log space at any depth (capped at [`MAX_QUALITY`]). A call must reach
//! the minimum quality raised by the number of alleles that could have
//! been called (see `Background::min_quality`): a genome of 30 kbp holds
//! 120,000 chances for errors to look like an allele. An allele reaches
//! the minimum frequency unless so few reads would show it less than once
//! in [`1 / FREQUENCY_TOLERANCE`](FREQUENCY_TOLERANCE) samplings at that
//! frequency: at 1,000 reads a 2 % allele shows in 20 ± 4.4 of them, and a
//! bare `altCount / depth ≥ 0.02` would miss half of them; never, though,
//! below half the minimum (no 0.9 % call at a minimum of 2 %). Such alleles are
//! reported; those with quality, depth or reads too low, or seen on one
//! strand only, carry FILTER values (see `filters`) and are confirmed only
//! without any.

use super::background::Background;
use super::genotype::Assessment;
use super::probability::{ln_binomial_lower_tail, ln_binomial_upper_tail, phred};
use super::{CallerOptions, Genotype, VariantStatus, MAX_QUALITY};
use crate::pileup::AlleleSupport;

/// An allele whose read count is this unlikely at the minimum frequency
/// falls short of it.
pub const FREQUENCY_TOLERANCE: f64 = 0.01;

/// The Phred quality of an indel read from a uniquely placed read: the
/// base qualities of an insertion say how well its bases were read, not how
/// likely the read is to show an indel by error, which is far rarer (GATK
/// and LoFreq assume about Q40–45 too). Reads less well placed weigh less
/// (the mean MAPQ of the indel's reads, if lower, is the quality); a
/// sample's own indel errors, and its homopolymer noise, set the floor.
const INDEL_QUALITY: f64 = 40.0;

/// Error probability of a Phred score.
fn error_probability(phred: f64) -> f64 {
    10f64.powf(-phred / 10.0)
}

/// What kind of allele is weighed, and the error rates that bear on it.
#[derive(Debug, Clone, Copy)]
pub(super) enum ErrorSource {
    /// An SNV: one of three wrong bases, at the sample's rate for this
    /// substitution.
    Snv { background: f64 },
    /// An indel: at the sample's indel rate, or its site's homopolymer noise.
    Indel { background: f64, noise: f64 },
}

impl ErrorSource {
    /// The SNV of reference base `reference` to `read` in `background`.
    pub(super) fn snv(background: &Background, reference: u8, read: u8) -> Self {
        ErrorSource::Snv {
            background: background.snv(reference, read),
        }
    }

    /// An indel at a site of homopolymer noise `noise`.
    pub(super) fn indel(background: &Background, noise: f64) -> Self {
        ErrorSource::Indel {
            background: background.indel(),
            noise,
        }
    }

    /// The probability that one read shows the allele by error, given the
    /// reads that show it.
    fn error_rate(self, support: &AlleleSupport, options: &CallerOptions) -> f64 {
        let reads = f64::from(support.count.max(1));
        match self {
            ErrorSource::Snv { background } => {
                let quality =
                    (support.quality_sum as f64 / reads).min(f64::from(options.max_base_quality));
                (error_probability(quality) / 3.0).max(background)
            }
            ErrorSource::Indel { background, noise } => {
                let quality = (support.mapping_quality_sum as f64 / reads).min(INDEL_QUALITY);
                error_probability(quality).max(background).max(noise)
            }
        }
    }
}

/// Scores one allele of `support` among `depth` reads that could show it.
/// The status is the thresholds' (depth, `min_quality`, alternate reads);
/// strand bias is checked after (see `filters`).
pub(super) fn assess(
    depth: u32,
    support: &AlleleSupport,
    errors: ErrorSource,
    min_quality: f64,
    options: &CallerOptions,
) -> Assessment {
    // A left-normalised indel may sit just before the reads that carry it.
    let depth = depth.max(support.count);
    let alt_count = support.count;
    let error_rate = errors.error_rate(support, options).min(1.0);
    let quality = phred(
        ln_binomial_upper_tail(depth, alt_count, error_rate),
        MAX_QUALITY,
    );
    let allele_frequency = if depth == 0 {
        0.0
    } else {
        f64::from(alt_count) / f64::from(depth)
    };
    let frequent_enough = allele_frequency >= options.min_allele_frequency
        || (allele_frequency >= options.min_allele_frequency / 2.0
            && ln_binomial_lower_tail(depth, alt_count, options.min_allele_frequency)
                >= FREQUENCY_TOLERANCE.ln());
    let confirmed = frequent_enough
        && depth >= options.min_depth
        && quality >= min_quality
        && alt_count >= options.min_alt_count;
    Assessment {
        depth,
        alt_count,
        allele_frequency,
        quality,
        // Never read: population calls carry no genotype.
        genotype: Genotype::Heterozygous,
        status: if confirmed {
            VariantStatus::Confirmed
        } else {
            VariantStatus::Candidate
        },
        reportable: frequent_enough && alt_count >= options.candidate_min_alt_count,
        mapping_quality: 0.0,
        zero_mapping_quality_fraction: 0.0,
    }
    .placed(support, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(count: u32, quality: u64) -> AlleleSupport {
        AlleleSupport {
            count,
            quality_sum: u64::from(count) * quality,
            mapping_quality_sum: u64::from(count) * 60,
            ..AlleleSupport::default()
        }
    }

    const CLEAN: ErrorSource = ErrorSource::Snv {
        background: 0.002 / 3.0,
    };

    #[test]
    fn confirms_a_two_percent_allele_read_a_little_under_two_percent() {
        let options = CallerOptions::population();
        // 15 of 1,000 reads: 1.5 %, well within the sampling of a 2 % allele.
        let call = assess(1_000, &support(15, 35), CLEAN, 20.0, &options);
        assert_eq!(call.status, VariantStatus::Confirmed);
        assert!(call.reportable && call.quality > 20.0);
        // 4 of 1,000 reads could not come from a 2 % allele; 3 of 400 (0.75 %)
        // could, but fall under half the minimum.
        assert!(!assess(400, &support(3, 35), CLEAN, 20.0, &options).reportable);
        let rare = assess(1_000, &support(4, 35), CLEAN, 20.0, &options);
        assert!(!rare.reportable);
        assert_eq!(rare.status, VariantStatus::Candidate);
    }

    #[test]
    fn trusts_base_qualities_no_further_than_the_sample_s_own_error_rate() {
        let options = CallerOptions::population();
        // Q40 bases promise one error in 30,000 reads; the sample shows one
        // in 150. Eight of 500 reads are then what errors alone often give.
        let noisy = ErrorSource::Snv {
            background: 1.0 / 150.0,
        };
        let call = assess(500, &support(8, 40), noisy, 20.0, &options);
        assert!(call.quality < options.min_quality, "{}", call.quality);
        assert!(assess(500, &support(8, 40), CLEAN, 20.0, &options).quality > 30.0);
    }

    #[test]
    fn scores_any_depth_up_to_a_hundred_thousand_reads_exactly() {
        let options = CallerOptions::population();
        let deep = assess(100_000, &support(3_000, 35), CLEAN, 20.0, &options);
        assert_eq!(deep.quality, MAX_QUALITY);
        assert_eq!(deep.status, VariantStatus::Confirmed);
        // 0.07 % errors at 100,000 reads: no allele.
        let errors = assess(100_000, &support(70, 30), CLEAN, 20.0, &options);
        assert!(!errors.reportable && errors.quality < 10.0);
    }

    /// `cargo test --release -- --ignored scores_deep_alleles`: prints the
    /// time per allele at 100,000 reads and at 100.
    #[test]
    #[ignore]
    fn scores_deep_alleles_as_fast_as_shallow_ones() {
        let options = CallerOptions::population();
        let time = |depth: u32| {
            let started = std::time::Instant::now();
            let mut quality = 0.0;
            for i in 0..100_000u32 {
                let count = 1 + i % (depth / 10);
                quality += assess(depth, &support(count, 30), CLEAN, 20.0, &options).quality;
            }
            assert!(quality.is_finite());
            started.elapsed().as_secs_f64() / 100_000.0
        };
        let (deep, shallow) = (time(100_000), time(100));
        println!(
            "per allele: {:.2} µs at 100,000 reads, {:.2} µs at 100 ({:.1}×)",
            deep * 1e6,
            shallow * 1e6,
            deep / shallow
        );
    }
}
