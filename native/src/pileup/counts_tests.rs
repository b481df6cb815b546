//! Unit tests of adding evidence to a pileup and merging pileups.

use super::{Evidence, Pileup, COIN_TOSS};
use crate::align::testing::index_of;
use crate::pileup::testing::alignments;
use crate::pileup::{EvidenceOptions, PileupError};

#[test]
fn merging_pileups_equals_adding_all_evidence_to_one() {
    let (index, alignments) = alignments();
    let mut evidence = Evidence::new();
    evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
    let mut together = Pileup::new(&index);
    together.add(&evidence);
    together.add(&evidence);
    let mut first = Pileup::new(&index);
    first.add(&evidence);
    let mut second = Pileup::new(&index);
    second.add(&evidence);
    first.merge(&second).unwrap();
    let all = 0..first.total_length();
    assert_eq!(first.coverage(all.clone()), together.coverage(all.clone()));
    assert_eq!(first.coverage(all.clone()).depth(91), 10);
    assert_eq!(first.reads(), together.reads());
    let sorted = |p: &Pileup| {
        let mut snvs: Vec<_> = p.snv_alleles().collect();
        snvs.sort_by_key(|(a, _)| *a);
        let mut indels: Vec<_> = p.indel_alleles().map(|(a, s)| (a.clone(), s)).collect();
        indels.sort_by(|a, b| a.0.cmp(&b.0));
        (snvs, indels)
    };
    assert_eq!(sorted(&first), sorted(&together));

    let other = index_of(&[("y", b"ACGTACGTACGT")]);
    assert!(matches!(
        first.merge(&Pileup::new(&other)),
        Err(PileupError::ReferenceMismatch { .. })
    ));
}

#[test]
fn counts_the_reverse_strand_the_coin_tosses_and_the_observations_near_a_read_end() {
    let (index, mut alignments) = alignments();
    alignments.reads[0].strand = crate::align::Strand::Reverse;
    // The coin-toss read now starts two bases before its mismatch's
    // read-end distance runs out.
    alignments.reads[3].start = 12;
    let mut evidence = Evidence::new();
    evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
    let mut pileup = Pileup::new(&index);
    pileup.add(&evidence);
    let all = 0..pileup.total_length();
    let coverage = pileup.coverage(all.clone());
    assert_eq!((coverage.depth(70), coverage.reverse_depth(70)), (4, 1));
    assert_eq!(coverage.reverse_indel_depth(90), 1);
    let (_, snv) = pileup.snv_alleles().next().unwrap();
    assert_eq!((snv.count, snv.reverse, snv.forward()), (2, 1, 1));
    assert_eq!(snv.near_read_end, 1);

    // The coin-toss read counts towards depth, and apart as a coin toss.
    assert_eq!(evidence.span_flags[3] & COIN_TOSS, COIN_TOSS);
    assert_eq!(
        evidence.span_flags[..3]
            .iter()
            .filter(|&&f| f & COIN_TOSS != 0)
            .count(),
        0
    );
    assert_eq!(
        (
            coverage.coin_toss_depth(70),
            coverage.coin_toss_indel_depth(90)
        ),
        (1, 1)
    );
    assert_eq!(coverage.coin_toss_depth(55), 0);

    let mut merged = pileup.clone();
    merged.merge(&pileup).unwrap();
    assert_eq!(merged.coverage(all.clone()).reverse_depth(70), 2);
    assert_eq!(merged.coverage(all.clone()).coin_toss_depth(70), 2);
    assert_eq!(merged.snv_alleles().next().unwrap().1.reverse, 2);
    let decoded = Pileup::from_bytes(&pileup.to_bytes()).unwrap();
    assert_eq!(decoded.coverage(all), coverage);
    assert_eq!(decoded.snv_alleles().next().unwrap().1, snv);
}
