//! Population calling end to end: mixtures read, mapped and piled up, and
//! pileups built read by read where the strands or the depth are the point.

use super::simulation::{self, Rng};
use super::testing::{pile, small_case};
use super::{
    call_variants, CallerOptions, CallingMode, IncrementalCaller, VariantCall, VariantFilter,
    VariantStatus, VariantType,
};
use crate::align::testing::index_of;
use crate::align::ReferenceIndex;
use crate::pileup::{Evidence, Pileup, REVERSE_STRAND};

/// Reads of a mixture: `fraction` of them from `variant`, the rest from
/// `reference`, at `depth` with substitution errors at `error_rate`.
fn mixture(
    rng: &mut Rng,
    reference: &[u8],
    variant: &[u8],
    fraction: f64,
    depth: usize,
    error_rate: f64,
) -> simulation::Reads {
    let count = reference.len() * depth / 150;
    let clone = |sequence: &[u8]| simulation::Sample {
        contigs: vec![("chr1".into(), reference.to_vec())],
        haplotypes: vec![[sequence.to_vec(), sequence.to_vec()]],
        truth: Vec::new(),
    };
    let minority = (count as f64 * fraction).round() as usize;
    let mut reads = simulation::reads(rng, &clone(variant), minority, 150, error_rate, 0.0);
    let majority = simulation::reads(
        rng,
        &clone(reference),
        count - minority,
        150,
        error_rate,
        0.0,
    );
    let shift = reads.bases.len() as u32;
    reads.bases.extend_from_slice(&majority.bases);
    reads.qualities.extend_from_slice(&majority.qualities);
    reads
        .offsets
        .extend(majority.offsets[1..].iter().map(|&offset| offset + shift));
    reads
}

/// One read over `0..length` of strand `reverse`, showing SNV `snv`
/// (global position, base) at Phred 30 if given.
fn add_read(evidence: &mut Evidence, length: u32, reverse: bool, snv: Option<(u32, u8)>) {
    let flags = if reverse { REVERSE_STRAND } else { 0 };
    evidence.span_starts.push(0);
    evidence.span_ends.push(length);
    evidence.span_flags.push(flags);
    if let Some((position, base)) = snv {
        evidence.snv_positions.push(position);
        evidence.snv_bases.push(base);
        evidence.snv_qualities.push(30);
        evidence.snv_mapping_qualities.push(60);
        evidence.snv_flags.push(flags);
    }
}

/// A 200 bp reference and an alternate base at its position 100.
fn short_reference() -> (ReferenceIndex, u8) {
    let reference = Rng::new(8).bases(200);
    let alternate = if reference[100] == b'A' { b'C' } else { b'A' };
    (index_of(&[("chr1", reference.as_slice())]), alternate)
}

/// The population call at 1-based position 101, if any.
fn call_at_101(index: &ReferenceIndex, evidence: &Evidence) -> Option<VariantCall> {
    let mut pileup = Pileup::new(index);
    pileup.add(evidence);
    call_variants(&pileup, index, &CallerOptions::population())
        .into_iter()
        .find(|call| call.position == 101)
}

#[test]
fn calls_a_three_percent_allele_at_a_thousand_reads_as_passing() {
    let mut rng = Rng::new(11);
    let reference = rng.bases(2_000);
    let mut variant = reference.clone();
    variant[700] = rng.other_base(reference[700]);
    variant.drain(1_301..1_303);
    let reads = mixture(&mut rng, &reference, &variant, 0.03, 1_000, 0.002);
    let index = index_of(&[("chr1", reference.as_slice())]);
    let mut pileup = Pileup::new(&index);
    pile(&index, &reads, &mut pileup);
    let passing: Vec<_> = call_variants(&pileup, &index, &CallerOptions::population())
        .into_iter()
        .filter(|call| call.filters.is_empty())
        .collect();
    assert_eq!(passing.len(), 2, "{passing:#?}");
    let snv = &passing[0];
    assert_eq!((snv.variant_type, snv.position), (VariantType::Snv, 701));
    assert_eq!(snv.status, VariantStatus::Confirmed);
    assert_eq!(snv.genotype, None);
    assert!((0.015..0.045).contains(&snv.allele_frequency), "{snv:?}");
    assert!(snv.strands.forward_alt > 0 && snv.strands.reverse_alt > 0);
    let strand_reads = snv.strands.forward_ref
        + snv.strands.reverse_ref
        + snv.strands.forward_alt
        + snv.strands.reverse_alt;
    assert!(strand_reads <= snv.depth && strand_reads + 10 >= snv.depth);
    assert_eq!(passing[1].variant_type, VariantType::Deletion);
}

#[test]
fn finds_no_passing_allele_in_random_errors_at_five_thousand_reads() {
    let mut rng = Rng::new(12);
    let reference = rng.bases(1_000);
    let reads = mixture(&mut rng, &reference, &reference, 0.0, 5_000, 0.002);
    let index = index_of(&[("chr1", reference.as_slice())]);
    let mut pileup = Pileup::new(&index);
    pile(&index, &reads, &mut pileup);
    let calls = call_variants(&pileup, &index, &CallerOptions::population());
    let passing: Vec<_> = calls
        .iter()
        .filter(|call| call.filters.is_empty())
        .collect();
    assert!(passing.is_empty(), "{passing:#?}");
}

#[test]
fn filters_an_allele_seen_on_one_strand_while_the_reference_is_read_on_both() {
    let (index, alternate) = short_reference();
    let mut evidence = Evidence::new();
    for read in 0..1_000 {
        let reverse = read % 2 == 1;
        let carries = !reverse && read % 32 == 0;
        add_read(
            &mut evidence,
            200,
            reverse,
            carries.then_some((100, alternate)),
        );
    }
    let call = call_at_101(&index, &evidence).expect("the allele is reported");
    assert_eq!(call.filters, vec![VariantFilter::StrandBias]);
    assert_eq!(call.status, VariantStatus::Candidate);
    assert_eq!(
        (call.strands.forward_alt, call.strands.reverse_alt),
        (32, 0)
    );
    assert!(call.strand_bias.unwrap() > super::STRAND_BIAS_MIN_PHRED);
}

#[test]
fn passes_an_allele_at_an_amplicon_end_where_every_read_is_forward() {
    let (index, alternate) = short_reference();
    let mut evidence = Evidence::new();
    for read in 0..1_000 {
        let carries = read % 25 == 0;
        add_read(
            &mut evidence,
            200,
            false,
            carries.then_some((100, alternate)),
        );
    }
    let call = call_at_101(&index, &evidence).expect("the allele is reported");
    assert!(call.filters.is_empty(), "{call:?}");
    assert_eq!(call.status, VariantStatus::Confirmed);
    assert_eq!(call.strand_bias, None);
}

#[test]
fn calls_a_hundred_thousand_reads_without_overflow() {
    let (index, alternate) = short_reference();
    let mut evidence = Evidence::new();
    for read in 0..100_000u32 {
        let carries = read % 20 == 0;
        add_read(
            &mut evidence,
            200,
            read % 3 == 0,
            carries.then_some((100, alternate)),
        );
    }
    let call = call_at_101(&index, &evidence).expect("the allele is reported");
    assert_eq!((call.depth, call.alt_count), (100_000, 5_000));
    assert!((call.allele_frequency - 0.05).abs() < 1e-12);
    assert!(call.quality.is_finite() && call.quality > 100.0);
    assert!(call.filters.is_empty(), "{call:?}");
    assert!(call.strand_bias.unwrap() < 60.0);
}

#[test]
fn flags_low_depth_and_low_quality_and_reports_them_as_it_goes() {
    let (index, alternate) = short_reference();
    let mut evidence = Evidence::new();
    for read in 0..6 {
        add_read(&mut evidence, 200, read % 2 == 0, Some((100, alternate)));
    }
    let mut pileup = Pileup::new(&index);
    pileup.add(&evidence);
    let mut caller = IncrementalCaller::new(CallerOptions {
        min_depth: 8,
        ..CallerOptions::population()
    });
    let early = caller.update(&pileup, &index);
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].filters, vec![VariantFilter::LowDepth]);
    for read in 0..10 {
        add_read(&mut evidence, 200, read % 2 == 0, Some((100, alternate)));
    }
    pileup.clear();
    pileup.add(&evidence);
    let later = caller.update(&pileup, &index);
    assert_eq!(later.len(), 1);
    assert!(later[0].filters.is_empty() && later[0].status == VariantStatus::Confirmed);
}

#[test]
fn keeps_genotypes_in_germline_mode_and_counts_their_strands_too() {
    let (index, reads) = small_case(40);
    let mut pileup = Pileup::new(&index);
    pile(&index, &reads, &mut pileup);
    let options = CallerOptions::default();
    assert_eq!(options.mode, CallingMode::Germline);
    for call in call_variants(&pileup, &index, &options) {
        assert!(call.genotype.is_some());
        let strands = call.strands;
        assert_eq!(strands.forward_alt + strands.reverse_alt, call.alt_count);
        if call.status == VariantStatus::Confirmed {
            assert!(call.filters.is_empty());
            assert!(
                strands.forward_alt > 0 && strands.reverse_alt > 0,
                "{call:?}"
            );
            assert!(!call.filters.contains(&VariantFilter::StrandBias));
        }
    }
}
