//! Calling a pileup: every allele assessed and dressed as a [`VariantCall`],
//! over the whole reference or one region.

use super::filters::Checks;
use super::genotype::Assessment;
use super::globals::Globals;
use super::visit::{visit_chunk, AlleleKey};
use super::{CallerOptions, CallingMode, VariantCall, VariantType};
use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, Depths, Pileup, CHUNK_BITS};

/// Dresses an assessed allele as a [`VariantCall`].
pub(super) fn to_call(
    index: &ReferenceIndex,
    key: &AlleleKey,
    assessment: &Assessment,
    checks: Checks,
    mode: CallingMode,
) -> VariantCall {
    let (variant_type, contig, position, reference, alternate) = match key {
        AlleleKey::Snv { position, base } => {
            let (contig, local) = index.locate(*position);
            let reference = index.global_sequence()[*position as usize];
            (
                VariantType::Snv,
                contig,
                local + 1,
                vec![reference],
                vec![*base],
            )
        }
        AlleleKey::Indel(allele) => {
            let vcf = allele.to_vcf(index);
            // A replacement is named by what it does to the length.
            let variant_type = if allele.inserted.len() > allele.deleted as usize {
                VariantType::Insertion
            } else {
                VariantType::Deletion
            };
            (
                variant_type,
                vcf.contig,
                vcf.position,
                vcf.reference,
                vcf.alternate,
            )
        }
    };
    VariantCall {
        variant_type,
        contig,
        contig_name: index.contig_name(contig).to_string(),
        position,
        reference: String::from_utf8_lossy(&reference).into_owned(),
        alternate: String::from_utf8_lossy(&alternate).into_owned(),
        depth: assessment.depth,
        alt_count: assessment.alt_count,
        allele_frequency: assessment.allele_frequency,
        quality: assessment.quality,
        status: assessment.status,
        genotype: (mode == CallingMode::Germline).then_some(assessment.genotype),
        mapping_quality: assessment.mapping_quality,
        zero_mapping_quality_fraction: assessment.zero_mapping_quality_fraction,
        strands: checks.strands,
        strand_bias: checks.strand_bias,
        read_end_fraction: checks.read_end_fraction,
        filters: checks.filters,
    }
}

/// Sorts calls by contig, position, then alleles, as VCF wants them.
pub(super) fn sort_calls(calls: &mut [VariantCall]) {
    calls.sort_by(|a, b| {
        (a.contig, a.position, &a.reference, &a.alternate).cmp(&(
            b.contig,
            b.position,
            &b.reference,
            &b.alternate,
        ))
    });
}

/// Calls every reportable variant of `pileup` (candidates and confirmed),
/// sorted by contig and position.
pub fn call_variants(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
) -> Vec<VariantCall> {
    call_global_range(pileup, index, options, 0..index.total_length())
}

/// Calls the reportable variants of `contig` whose 0-based position
/// (`POS − 1`) lies in `start..end`, sorted by position.
pub fn call_region(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
    contig: usize,
    start: u32,
    end: u32,
) -> Vec<VariantCall> {
    let end = end.min(index.contig_length(contig));
    let range = index.to_global(contig, start.min(end))..index.to_global(contig, end);
    call_global_range(pileup, index, options, range)
}

/// Calls the reportable variants anchored in a global range.
fn call_global_range(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
    range: std::ops::Range<u32>,
) -> Vec<VariantCall> {
    let mut calls = Vec::new();
    if range.is_empty() {
        return calls;
    }
    let globals = Globals::learn(pileup, index, options);
    let chunks = (range.start >> CHUNK_BITS) as usize..=((range.end - 1) >> CHUNK_BITS) as usize;
    let mut coverage = Coverage::default();
    for chunk in chunks.filter(|&c| pileup.is_touched(c)) {
        pileup.chunk_coverage(chunk, Depths::All, &mut coverage);
        visit_chunk(
            pileup,
            &coverage,
            index,
            options,
            &globals,
            chunk,
            &range,
            &|_| false,
            false,
            &mut |key, a, checks| {
                if a.reportable {
                    calls.push(to_call(index, &key, &a, checks, options.mode));
                }
            },
        );
    }
    sort_calls(&mut calls);
    calls
}

#[cfg(test)]
mod tests {
    use super::super::testing::{pile, small_case};
    use super::*;
    use crate::caller::{Genotype, VariantStatus};
    use crate::pileup::normalise;

    #[test]
    fn calls_snvs_and_indels_with_depth_frequency_and_genotype() {
        let (index, reads) = small_case(40);
        let mut pileup = Pileup::new(&index);
        pile(&index, &reads, &mut pileup);
        let calls: Vec<_> = call_variants(&pileup, &index, &CallerOptions::default())
            .into_iter()
            .filter(|c| c.status == VariantStatus::Confirmed)
            .collect();
        assert_eq!(calls.len(), 2, "{calls:#?}");
        let snv = &calls[0];
        assert_eq!((snv.variant_type, snv.position), (VariantType::Snv, 1_001));
        assert_eq!(snv.genotype, Some(Genotype::HomozygousAlternate));
        assert!(snv.allele_frequency > 0.9 && snv.depth >= 20);
        assert_eq!(snv.contig_name, "chr1");
        let deletion = &calls[1];
        assert_eq!(deletion.variant_type, VariantType::Deletion);
        let sequence = index.contig_sequence(0);
        let (position, reference, alternate) = normalise(
            sequence,
            3_000,
            &sequence[3_000..3_004],
            &sequence[3_000..3_001],
        );
        assert_eq!(deletion.position as usize, position + 1);
        assert_eq!(deletion.reference.as_bytes(), reference);
        assert_eq!(deletion.alternate.as_bytes(), alternate);
        assert_eq!(deletion.genotype, Some(Genotype::Heterozygous));
        assert!((0.3..0.7).contains(&deletion.allele_frequency));
        assert_eq!(deletion.variant_type.as_str(), "DELETION");

        let region = call_region(&pileup, &index, &CallerOptions::default(), 0, 2_000, 4_000);
        assert!(region.iter().all(|c| (2_001..=4_000).contains(&c.position)));
        assert!(region
            .iter()
            .any(|c| c.variant_type == VariantType::Deletion));
    }

    #[test]
    fn keeps_every_snv_of_a_cluster_including_adjacent_ones() {
        use super::super::simulation::{self, Rng};
        let mut rng = Rng::new(5);
        let reference = rng.bases(5_000);
        let mut alt = reference.clone();
        // A 2-bp substitution and three more changes within 15 bp.
        let cluster = [2_000, 2_001, 2_005, 2_009, 2_014];
        for &position in &cluster {
            alt[position] = rng.other_base(reference[position]);
        }
        let sample = simulation::Sample {
            contigs: vec![("chr1".into(), reference.clone())],
            haplotypes: vec![[alt.clone(), alt.clone()]],
            truth: Vec::new(),
        };
        let index = crate::align::testing::index_of(&[("chr1", reference.as_slice())]);
        let reads = simulation::reads(&mut rng, &sample, 5_000 * 40 / 150, 150, 0.002, 0.0);
        let mut pileup = Pileup::new(&index);
        pile(&index, &reads, &mut pileup);
        let called: Vec<_> = call_variants(&pileup, &index, &CallerOptions::default())
            .into_iter()
            .filter(|c| c.status == VariantStatus::Confirmed)
            .map(|c| (c.position as usize - 1, c.alternate.as_bytes()[0]))
            .collect();
        let expected: Vec<_> = cluster.iter().map(|&p| (p, alt[p])).collect();
        assert_eq!(called, expected);
    }

    #[test]
    fn calls_a_replacement_as_one_record_named_by_its_change_of_length() {
        let reference = super::super::simulation::Rng::new(3).bases(200);
        let index = crate::align::testing::index_of(&[("chr1", reference.as_slice())]);
        let mut evidence = crate::pileup::Evidence::new();
        for _ in 0..20 {
            evidence.span_starts.push(0);
            evidence.span_ends.push(200);
            evidence.indel_positions.push(100);
            evidence.indel_lengths.push(2);
            evidence.indel_replaced.push(5);
            evidence.indel_qualities.push(30);
            evidence.indel_mapping_qualities.push(60);
            evidence.indel_inserted.extend_from_slice(b"GG");
        }
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let calls = call_variants(&pileup, &index, &CallerOptions::default());
        assert_eq!(calls.len(), 1, "{calls:#?}");
        let call = &calls[0];
        assert_eq!(
            (call.variant_type, call.position),
            (VariantType::Deletion, 100)
        );
        assert_eq!(call.reference.as_bytes(), &reference[99..105]);
        assert_eq!(call.alternate.as_bytes(), [reference[99], b'G', b'G']);
    }

    #[test]
    fn confirms_one_allele_of_a_haploid_site_read_two_ways_against_the_reference_reads() {
        let reference = super::super::simulation::Rng::new(3).bases(200);
        let index = crate::align::testing::index_of(&[("chr1", reference.as_slice())]);
        let mut evidence = crate::pileup::Evidence::new();
        // Thirty reads: a 5-bp replacement read as GG by 13, as TTT by 10, and 7 reference reads.
        for read in 0..30 {
            evidence.span_starts.push(0);
            evidence.span_ends.push(200);
            let inserted: &[u8] = match read {
                0..13 => b"GG",
                13..23 => b"TTT",
                _ => continue,
            };
            evidence.indel_positions.push(100);
            evidence.indel_lengths.push(inserted.len() as i32);
            evidence.indel_replaced.push(5);
            evidence.indel_qualities.push(30);
            evidence.indel_mapping_qualities.push(60);
            evidence.indel_inserted.extend_from_slice(inserted);
        }
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let haploid = CallerOptions {
            ploidy: crate::caller::Ploidy::Haploid,
            ..CallerOptions::default()
        };
        let statuses: Vec<_> = call_variants(&pileup, &index, &haploid)
            .into_iter()
            .map(|c| {
                (
                    c.alternate[1..].to_string(),
                    c.status,
                    c.genotype.unwrap().as_str(),
                )
            })
            .collect();
        assert_eq!(
            statuses,
            [
                ("GG".to_string(), VariantStatus::Confirmed, "1"),
                ("TTT".to_string(), VariantStatus::Candidate, "1"),
            ]
        );
    }

    #[test]
    fn confirms_a_repeat_variant_only_with_uniquely_placed_reads_and_reports_its_mapping_quality() {
        let reference = super::super::simulation::Rng::new(4).bases(200);
        let index = crate::align::testing::index_of(&[("chr1", reference.as_slice())]);
        let alternate = if reference[100] == b'A' { b'C' } else { b'A' };
        let call_with = |mapping_qualities: &[u8]| {
            let mut evidence = crate::pileup::Evidence::new();
            for &mapq in mapping_qualities {
                evidence.span_starts.push(0);
                evidence.span_ends.push(200);
                evidence.snv_positions.push(100);
                evidence.snv_bases.push(alternate);
                evidence.snv_qualities.push(mapq.clamp(4, 35));
                evidence.snv_mapping_qualities.push(mapq);
            }
            let mut pileup = Pileup::new(&index);
            pileup.add(&evidence);
            call_variants(&pileup, &index, &CallerOptions::default()).remove(0)
        };
        // Thirty coin-toss placements make a strong allele, but which copy
        // of the repeat carries it they cannot say.
        let coin_tosses = call_with(&[0; 30]);
        assert!(coin_tosses.quality >= 20.0);
        assert_eq!(coin_tosses.status, VariantStatus::Candidate);
        assert_eq!(coin_tosses.zero_mapping_quality_fraction, 1.0);
        // One uniquely placed read among them anchors the call; it carries
        // its low mapping quality.
        let mut anchored = vec![0; 29];
        anchored.push(30);
        let anchored = call_with(&anchored);
        assert_eq!(anchored.status, VariantStatus::Confirmed);
        assert_eq!(anchored.mapping_quality, 1.0);
        assert!((anchored.zero_mapping_quality_fraction - 29.0 / 30.0).abs() < 1e-9);
    }

    #[test]
    fn calls_a_base_the_reads_agree_on_where_the_reference_has_n() {
        let index = crate::align::testing::index_of(&[("chr1", b"ACGTANGTACGTACGTACGT")]);
        let mut evidence = crate::pileup::Evidence::new();
        for _ in 0..20 {
            evidence.span_starts.push(0);
            evidence.span_ends.push(20);
            evidence.snv_positions.push(5);
            evidence.snv_bases.push(b'C');
            evidence.snv_qualities.push(35);
            evidence.snv_mapping_qualities.push(60);
        }
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let calls = call_variants(&pileup, &index, &CallerOptions::default());
        assert_eq!(calls.len(), 1, "{calls:#?}");
        let call = &calls[0];
        assert_eq!((call.position, call.reference.as_str()), (6, "N"));
        assert_eq!(call.alternate, "C");
        assert_eq!(call.status, VariantStatus::Confirmed);
    }
}
