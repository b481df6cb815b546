//! The genotype models, diploid and haploid: score one allele from its read
//! counts and summed qualities (see the module documentation of `caller`).

use super::haploid_sites::Rivals;
use super::{CallerOptions, Genotype, Ploidy, VariantStatus, MAX_QUALITY};
use crate::pileup::AlleleSupport;

/// Numbers of one allele before it is dressed as a [`VariantCall`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Assessment {
    pub(super) depth: u32,
    pub(super) alt_count: u32,
    pub(super) allele_frequency: f64,
    pub(super) quality: f64,
    pub(super) genotype: Genotype,
    pub(super) status: VariantStatus,
    /// Passes the candidate thresholds (worth reporting at all).
    pub(super) reportable: bool,
    /// Mean mapping quality of the alternate reads.
    pub(super) mapping_quality: f64,
    /// Fraction of the alternate reads with MAPQ 0.
    pub(super) zero_mapping_quality_fraction: f64,
}

impl Assessment {
    /// Adds the alternate reads' mapping qualities, which a confirmed call
    /// needs enough uniquely placed reads among (see
    /// [`CallerOptions::min_placed_alt_count`]).
    pub(super) fn placed(mut self, support: &AlleleSupport, options: &CallerOptions) -> Self {
        let reads = f64::from(support.count.max(1));
        self.mapping_quality = support.mapping_quality_sum as f64 / reads;
        self.zero_mapping_quality_fraction = f64::from(support.zero_mapping_quality) / reads;
        let placed = support.count - support.zero_mapping_quality;
        if placed < options.min_placed_alt_count {
            self.status = VariantStatus::Candidate;
        }
        self
    }
}

/// `ln(exp(a) + exp(b) + …)` without overflow.
fn log_sum_exp(terms: &[f64]) -> f64 {
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    max + terms
        .iter()
        .map(|term| (term - max).exp())
        .sum::<f64>()
        .ln()
}

/// Error probability of a Phred score.
fn error_probability(phred: f64) -> f64 {
    10f64.powf(-phred / 10.0)
}

/// Scores one allele with `alt_count` supporting reads (summed quality
/// `alt_quality_sum`) among `depth` informative reads. `noise` is the rate at
/// which reads show this allele by error whatever their base qualities say
/// (a homopolymer's indel noise; 0 where qualities tell it all). `rivals`
/// are the reads of the site's other alleles, which only the haploid model
/// weighs (see `haploid_sites`).
pub(super) fn assess(
    depth: u32,
    alt_count: u32,
    alt_quality_sum: u64,
    noise: f64,
    rivals: Rivals,
    options: &CallerOptions,
) -> Assessment {
    // A left-normalised indel may sit just before the reads that carry it.
    let depth = depth.max(alt_count);
    let alt = alt_count as f64;
    let other = (depth - alt_count) as f64;
    let cap = options.max_base_quality as f64;
    let alt_quality = (alt_quality_sum as f64 / alt.max(1.0)).min(cap);
    let other_quality = alt_quality.max(1.0);
    let (alt_error, other_error) = (
        error_probability(alt_quality),
        error_probability(other_quality),
    );
    let ln_third = (1.0f64 / 3.0).ln();
    let theta = options.heterozygosity;
    let ln10_over_10 = std::f64::consts::LN_10 / 10.0;

    let ln_turned_into_allele = (ln_third - ln10_over_10 * alt_quality).max(noise.ln());
    // The reads under the reference (alternate reads in error) and under the
    // allele (`others` in error); kept apart to add them to a prior in the
    // order the diploid model always has.
    let (reference_alt, allele_alt) = (alt * ln_turned_into_allele, alt * (1.0 - alt_error).ln());
    let reference_other = |others: f64| others * (1.0 - other_error.max(noise)).ln();
    let allele_other = |others: f64| others * (other_error.ln() + ln_third);
    let (reference, total, genotype) = match options.ploidy {
        Ploidy::Diploid => {
            let hom_ref = (1.0 - 1.5 * theta).ln() + reference_alt + reference_other(other);
            let het = theta.ln() + (alt + other) * 0.5f64.ln();
            let hom_alt = (theta / 2.0).ln() + allele_alt + allele_other(other);
            let genotype = if hom_alt > het {
                Genotype::HomozygousAlternate
            } else {
                Genotype::Heterozygous
            };
            (hom_ref, log_sum_exp(&[hom_ref, het, hom_alt]), genotype)
        }
        Ploidy::Haploid => {
            // A rival's reads are errors under both: only the reference's count.
            let others = other - f64::from(rivals.reads.min(depth - alt_count));
            let reference = (1.0 - theta).ln() + reference_alt + reference_other(others);
            let alternate = theta.ln() + allele_alt + allele_other(others);
            let total = log_sum_exp(&[reference, alternate]);
            (reference, total, Genotype::HaploidAlternate)
        }
    };
    let quality = (-10.0 / std::f64::consts::LN_10 * (reference - total)).clamp(0.0, MAX_QUALITY);
    let allele_frequency = if depth == 0 { 0.0 } else { alt / depth as f64 };
    // A haploid site has one allele: the one most of its reads show.
    let carried = !(options.ploidy == Ploidy::Haploid && rivals.outnumbered);
    let confirmed = depth >= options.min_depth
        && allele_frequency >= options.min_allele_frequency
        && quality >= options.min_quality
        && alt_count >= options.min_alt_count
        && carried;
    let reportable = confirmed
        || (alt_count >= options.candidate_min_alt_count
            && allele_frequency >= options.candidate_min_allele_frequency);
    Assessment {
        depth,
        alt_count,
        allele_frequency,
        quality,
        genotype,
        status: if confirmed {
            VariantStatus::Confirmed
        } else {
            VariantStatus::Candidate
        },
        reportable,
        mapping_quality: 0.0,
        zero_mapping_quality_fraction: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_genotypes_from_read_counts() {
        let options = CallerOptions::default();
        let het = assess(30, 15, 15 * 35, 0.0, Rivals::NONE, &options);
        assert_eq!(het.genotype, Genotype::Heterozygous);
        assert_eq!(het.status, VariantStatus::Confirmed);
        assert!(het.quality > 100.0);
        let hom = assess(30, 29, 29 * 35, 0.0, Rivals::NONE, &options);
        assert_eq!(hom.genotype, Genotype::HomozygousAlternate);
        assert_eq!(hom.status, VariantStatus::Confirmed);
        // Two errors in thirty reads: reportable at most, never confirmed.
        let noise = assess(30, 2, 2 * 20, 0.0, Rivals::NONE, &options);
        assert_eq!(noise.status, VariantStatus::Candidate);
        assert!(noise.quality < options.min_quality);
        // Too shallow to confirm, however clean.
        let deep_only = CallerOptions {
            min_depth: 8,
            ..CallerOptions::default()
        };
        let shallow = assess(5, 5, 5 * 40, 0.0, Rivals::NONE, &deep_only);
        assert_eq!(shallow.status, VariantStatus::Candidate);
        assert!(shallow.reportable);
        // The default floor is bcftools' (none to speak of): five clean reads say enough.
        assert_eq!(options.min_depth, 3);
        assert_eq!(
            assess(5, 5, 5 * 40, 0.0, Rivals::NONE, &options).status,
            VariantStatus::Confirmed
        );
        // More evidence, more confidence; capped.
        assert!(assess(60, 30, 30 * 35, 0.0, Rivals::NONE, &options).quality >= het.quality);
        assert!(
            assess(100_000, 50_000, 50_000 * 35, 0.0, Rivals::NONE, &options).quality
                <= MAX_QUALITY
        );
    }

    #[test]
    fn keeps_the_diploid_model_unless_told_the_sample_is_haploid() {
        assert_eq!(CallerOptions::default().ploidy, Ploidy::Diploid);
    }

    #[test]
    fn calls_a_haploid_allele_with_the_single_allele_genotype() {
        let haploid = CallerOptions {
            ploidy: Ploidy::Haploid,
            ..CallerOptions::default()
        };
        let call = assess(30, 29, 29 * 35, 0.0, Rivals::NONE, &haploid);
        assert_eq!(call.genotype, Genotype::HaploidAlternate);
        assert_eq!(call.genotype.as_str(), "1");
        assert_eq!(call.status, VariantStatus::Confirmed);
        assert!(call.quality > 100.0);
    }

    #[test]
    fn confirms_a_30_percent_minority_allele_as_heterozygous_only_when_diploid() {
        let diploid = CallerOptions::default();
        let haploid = CallerOptions {
            ploidy: Ploidy::Haploid,
            ..CallerOptions::default()
        };
        // Nine of thirty reads, at base quality 35.
        let het = assess(30, 9, 9 * 35, 0.0, Rivals::NONE, &diploid);
        assert_eq!(het.status, VariantStatus::Confirmed);
        assert_eq!(het.genotype, Genotype::Heterozygous);
        // One copy cannot be 30 % alternate: the reads mostly say reference.
        let minority = assess(30, 9, 9 * 35, 0.0, Rivals::NONE, &haploid);
        assert_eq!(minority.status, VariantStatus::Candidate);
        assert!(minority.quality < haploid.min_quality, "{minority:?}");
        assert!(minority.reportable, "still reported, as a candidate");
    }

    #[test]
    fn weighs_a_haploid_allele_against_the_reference_reads_not_a_rival_readings() {
        let haploid = CallerOptions {
            ploidy: Ploidy::Haploid,
            ..CallerOptions::default()
        };
        // Thirty reads: 13 read a replacement one way, 10 another, 7 the reference.
        let alone = assess(30, 13, 13 * 30, 0.0, Rivals::NONE, &haploid);
        assert_eq!(
            alone.status,
            VariantStatus::Candidate,
            "13 of 30 is a minority"
        );
        let first = Rivals {
            reads: 10,
            outnumbered: false,
        };
        let first = assess(30, 13, 13 * 30, 0.0, first, &haploid);
        assert_eq!(
            first.status,
            VariantStatus::Confirmed,
            "13 against 7: {first:?}"
        );
        let second = Rivals {
            reads: 13,
            outnumbered: true,
        };
        let second = assess(30, 10, 10 * 30, 0.0, second, &haploid);
        assert_eq!(
            second.status,
            VariantStatus::Candidate,
            "one copy, one allele"
        );
        assert!(second.reportable);
        // The diploid model weighs no rivals: the same reads, the same call.
        let diploid = CallerOptions::default();
        assert_eq!(
            assess(30, 10, 10 * 30, 0.0, Rivals::NONE, &diploid).quality,
            assess(
                30,
                10,
                10 * 30,
                0.0,
                Rivals {
                    reads: 13,
                    outnumbered: true
                },
                &diploid
            )
            .quality
        );
    }

    #[test]
    fn weighs_reads_against_the_noise_of_their_site() {
        let options = CallerOptions::default();
        // Ten of sixty reads drop a base of a run that noisy reads shorten in
        // an eighth of them: noise, however good the base qualities.
        let noisy = assess(60, 10, 10 * 30, 0.125, Rivals::NONE, &options);
        assert_eq!(noisy.status, VariantStatus::Candidate);
        assert!(
            assess(60, 10, 10 * 30, 0.0, Rivals::NONE, &options).status == VariantStatus::Confirmed
        );
        // A heterozygous indel stands out of the same noise.
        let het = assess(60, 30, 30 * 30, 0.125, Rivals::NONE, &options);
        assert_eq!(het.status, VariantStatus::Confirmed);
        assert_eq!(het.genotype, Genotype::Heterozygous);
    }
}
