//! The genotype models scoring single alleles from their reads: diploid
//! and haploid, minorities, rivals, noise and coin-toss placements.

use super::genotype::{assess, CoinTosses};
use super::haploid_sites::Rivals;
use super::{CallerOptions, Genotype, Ploidy, VariantStatus, MAX_QUALITY};
use crate::pileup::MIN_OBSERVATION_QUALITY;

#[test]
fn scores_genotypes_from_read_counts() {
    let options = CallerOptions::default();
    let het = assess(
        30,
        15,
        15 * 35,
        CoinTosses::NONE,
        0.0,
        Rivals::NONE,
        &options,
    );
    assert_eq!(het.genotype, Genotype::Heterozygous);
    assert_eq!(het.status, VariantStatus::Confirmed);
    assert!(het.quality > 100.0);
    let hom = assess(
        30,
        29,
        29 * 35,
        CoinTosses::NONE,
        0.0,
        Rivals::NONE,
        &options,
    );
    assert_eq!(hom.genotype, Genotype::HomozygousAlternate);
    assert_eq!(hom.status, VariantStatus::Confirmed);
    // Two errors in thirty reads: reportable at most, never confirmed.
    let noise = assess(30, 2, 2 * 20, CoinTosses::NONE, 0.0, Rivals::NONE, &options);
    assert_eq!(noise.status, VariantStatus::Candidate);
    assert!(noise.quality < options.min_quality);
    // Too shallow to confirm, however clean.
    let deep_only = CallerOptions {
        min_depth: 8,
        ..CallerOptions::default()
    };
    let shallow = assess(
        5,
        5,
        5 * 40,
        CoinTosses::NONE,
        0.0,
        Rivals::NONE,
        &deep_only,
    );
    assert_eq!(shallow.status, VariantStatus::Candidate);
    assert!(shallow.reportable);
    // The default floor is bcftools' (none to speak of): five clean reads say enough.
    assert_eq!(options.min_depth, 3);
    assert_eq!(
        assess(5, 5, 5 * 40, CoinTosses::NONE, 0.0, Rivals::NONE, &options).status,
        VariantStatus::Confirmed
    );
    // More evidence, more confidence; capped.
    assert!(
        assess(
            60,
            30,
            30 * 35,
            CoinTosses::NONE,
            0.0,
            Rivals::NONE,
            &options
        )
        .quality
            >= het.quality
    );
    assert!(
        assess(
            100_000,
            50_000,
            50_000 * 35,
            CoinTosses::NONE,
            0.0,
            Rivals::NONE,
            &options
        )
        .quality
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
    let call = assess(
        30,
        29,
        29 * 35,
        CoinTosses::NONE,
        0.0,
        Rivals::NONE,
        &haploid,
    );
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
    let het = assess(30, 9, 9 * 35, CoinTosses::NONE, 0.0, Rivals::NONE, &diploid);
    assert_eq!(het.status, VariantStatus::Confirmed);
    assert_eq!(het.genotype, Genotype::Heterozygous);
    // One copy cannot be 30 % alternate: the reads mostly say reference.
    let minority = assess(30, 9, 9 * 35, CoinTosses::NONE, 0.0, Rivals::NONE, &haploid);
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
    let alone = assess(
        30,
        13,
        13 * 30,
        CoinTosses::NONE,
        0.0,
        Rivals::NONE,
        &haploid,
    );
    assert_eq!(
        alone.status,
        VariantStatus::Candidate,
        "13 of 30 is a minority"
    );
    let first = Rivals {
        reads: 10,
        outnumbered: false,
        coin_tosses: 0,
    };
    let first = assess(30, 13, 13 * 30, CoinTosses::NONE, 0.0, first, &haploid);
    assert_eq!(
        first.status,
        VariantStatus::Confirmed,
        "13 against 7: {first:?}"
    );
    let second = Rivals {
        reads: 13,
        outnumbered: true,
        coin_tosses: 0,
    };
    let second = assess(30, 10, 10 * 30, CoinTosses::NONE, 0.0, second, &haploid);
    assert_eq!(
        second.status,
        VariantStatus::Candidate,
        "one copy, one allele"
    );
    assert!(second.reportable);
    // The diploid model weighs no rivals: the same reads, the same call.
    let diploid = CallerOptions::default();
    assert_eq!(
        assess(
            30,
            10,
            10 * 30,
            CoinTosses::NONE,
            0.0,
            Rivals::NONE,
            &diploid
        )
        .quality,
        assess(
            30,
            10,
            10 * 30,
            CoinTosses::NONE,
            0.0,
            Rivals {
                reads: 13,
                outnumbered: true,
                coin_tosses: 0,
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
    let noisy = assess(
        60,
        10,
        10 * 30,
        CoinTosses::NONE,
        0.125,
        Rivals::NONE,
        &options,
    );
    assert_eq!(noisy.status, VariantStatus::Candidate);
    assert!(
        assess(
            60,
            10,
            10 * 30,
            CoinTosses::NONE,
            0.0,
            Rivals::NONE,
            &options
        )
        .status
            == VariantStatus::Confirmed
    );
    // A heterozygous indel stands out of the same noise.
    let het = assess(
        60,
        30,
        30 * 30,
        CoinTosses::NONE,
        0.125,
        Rivals::NONE,
        &options,
    );
    assert_eq!(het.status, VariantStatus::Confirmed);
    assert_eq!(het.genotype, Genotype::Heterozygous);
}

#[test]
fn weighs_a_reference_read_placed_by_a_coin_toss_as_little_as_an_alternate_one() {
    let haploid = CallerOptions {
        ploidy: Ploidy::Haploid,
        ..CallerOptions::default()
    };
    // Inside a two-copy repeat: 12 of 30 reads show the allele, 6 of
    // them uniquely placed (quality 30), 6 by a coin toss (the floor);
    // 16 of the 18 reference reads are coin tosses from the other copy.
    let quality_sum = 6 * 30 + 6 * u64::from(MIN_OBSERVATION_QUALITY);
    let repeat = CoinTosses { site: 22, alt: 6 };
    let call = assess(30, 12, quality_sum, repeat, 0.0, Rivals::NONE, &haploid);
    assert_eq!(call.status, VariantStatus::Confirmed, "{call:?}");
    // The same reads, every reference read placed uniquely: a minority.
    let placed = CoinTosses { site: 6, alt: 6 };
    let minority = assess(30, 12, quality_sum, placed, 0.0, Rivals::NONE, &haploid);
    assert_eq!(minority.status, VariantStatus::Candidate, "{minority:?}");
    // A coin-toss rival read is no reference read.
    let rivals = Rivals {
        reads: 4,
        outnumbered: false,
        coin_tosses: 4,
    };
    let with_rivals = assess(
        34,
        12,
        quality_sum,
        CoinTosses { site: 26, alt: 6 },
        0.0,
        rivals,
        &haploid,
    );
    assert_eq!(with_rivals.quality, call.quality);
}
