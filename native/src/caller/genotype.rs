//! The genotype models, diploid and haploid: score one allele from its read
//! counts and summed qualities (see the module documentation of `caller`).

use super::haploid_sites::Rivals;
use super::{CallerOptions, Genotype, Ploidy, VariantStatus, MAX_QUALITY};
use crate::pileup::{AlleleSupport, MIN_OBSERVATION_QUALITY};

/// The reads of a site placed by a coin toss (MAPQ 0): a read from one copy
/// of a repeat may as well have come from another, so it weighs, reference
/// read or not, no more than [`MIN_OBSERVATION_QUALITY`] (as in `bcftools`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct CoinTosses {
    /// Among all the reads of the site's depth.
    pub(super) site: u32,
    /// Among the reads showing the allele.
    pub(super) alt: u32,
}

impl CoinTosses {
    /// Every read placed uniquely.
    #[cfg(test)]
    pub(super) const NONE: CoinTosses = CoinTosses { site: 0, alt: 0 };
}

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
/// `alt_quality_sum`) among `depth` informative reads, `coin_tosses` of them
/// placed by a coin toss. `noise` is the rate at which reads show this allele
/// by error whatever their base qualities say (a homopolymer's indel noise; 0
/// where qualities tell it all). `rivals` are the reads of the site's other
/// alleles, which only the haploid model weighs (see `haploid_sites`).
pub(super) fn assess(
    depth: u32,
    alt_count: u32,
    alt_quality_sum: u64,
    coin_tosses: CoinTosses,
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
    // A uniquely placed reference read weighs what a uniquely placed
    // alternate read does (a coin-toss one weighs the floor, see below).
    let alt_coin_tosses = coin_tosses.alt.min(alt_count);
    let placed_alt = alt_count - alt_coin_tosses;
    let floor = f64::from(MIN_OBSERVATION_QUALITY).min(cap);
    let other_quality = if placed_alt > 0 && alt_coin_tosses > 0 {
        let coin_toss_sum = u64::from(MIN_OBSERVATION_QUALITY) * u64::from(alt_coin_tosses);
        (alt_quality_sum.saturating_sub(coin_toss_sum) as f64 / f64::from(placed_alt)).min(cap)
    } else {
        alt_quality
    }
    .max(1.0);
    let (alt_error, other_error, coin_toss_error) = (
        error_probability(alt_quality),
        error_probability(other_quality),
        error_probability(floor.max(1.0)),
    );
    let ln_third = (1.0f64 / 3.0).ln();
    let theta = options.heterozygosity;
    let ln10_over_10 = std::f64::consts::LN_10 / 10.0;

    let ln_turned_into_allele = (ln_third - ln10_over_10 * alt_quality).max(noise.ln());
    // The reads under the reference (alternate reads in error) and under the
    // allele (`others` in error); kept apart to add them to a prior in the
    // order the diploid model always has.
    let (reference_alt, allele_alt) = (alt * ln_turned_into_allele, alt * (1.0 - alt_error).ln());
    // The other reads, `others` of them, `coin` of those placed by a coin toss.
    let reference_other = |others: f64, coin: f64| {
        (others - coin) * (1.0 - other_error.max(noise)).ln()
            + coin * (1.0 - coin_toss_error.max(noise)).ln()
    };
    let allele_other = |others: f64, coin: f64| {
        (others - coin) * (other_error.ln() + ln_third) + coin * (coin_toss_error.ln() + ln_third)
    };
    let other_coin_tosses = coin_tosses.site.saturating_sub(alt_coin_tosses);
    let (reference, total, genotype) = match options.ploidy {
        Ploidy::Diploid => {
            let coin = f64::from(other_coin_tosses).min(other);
            let hom_ref = (1.0 - 1.5 * theta).ln() + reference_alt + reference_other(other, coin);
            let het = theta.ln() + (alt + other) * 0.5f64.ln();
            let hom_alt = (theta / 2.0).ln() + allele_alt + allele_other(other, coin);
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
            let coin = f64::from(other_coin_tosses.saturating_sub(rivals.coin_tosses)).min(others);
            let reference = (1.0 - theta).ln() + reference_alt + reference_other(others, coin);
            let alternate = theta.ln() + allele_alt + allele_other(others, coin);
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
