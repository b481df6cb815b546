//! Incremental calling held to calling the whole pileup: over random
//! sequences of batches, an update that looks only at the chunks changed
//! reports exactly what an update rescanning every chunk reports.

use super::simulation::{self, Rng};
use super::testing::pile;
use super::{call_variants, CallerOptions, IncrementalCaller, Ploidy, VariantStatus};
use crate::align::{IndexOptions, ReferenceIndex};
use crate::pileup::{Evidence, Pileup};

/// The reads of `reads` from `start` to `end` (read indices).
fn slice(reads: &simulation::Reads, start: usize, end: usize) -> simulation::Reads {
    let (from, to) = (reads.offsets[start] as usize, reads.offsets[end] as usize);
    simulation::Reads {
        bases: reads.bases[from..to].to_vec(),
        qualities: reads.qualities[from..to].to_vec(),
        offsets: reads.offsets[start..=end]
            .iter()
            .map(|&o| o - from as u32)
            .collect(),
    }
}

/// Piles a random sample up in random batches, updating an incremental and
/// a rescanning caller after each; returns how many calls they reported.
fn incremental_equals_rescanning(seed: u64, options: CallerOptions) -> usize {
    let mut rng = Rng::new(seed);
    let sample = simulation::sample(&mut rng, &[23_000, 9_000, 14_500], 0.003, 0.3);
    let contigs: Vec<(&str, &[u8])> = sample
        .contigs
        .iter()
        .map(|(name, bases)| (name.as_str(), bases.as_slice()))
        .collect();
    let index = ReferenceIndex::new(contigs, &IndexOptions::default()).unwrap();
    let count = 46_500 * 25 / 150;
    let reads = simulation::reads(&mut rng, &sample, count, 150, 0.005, 0.0);
    let mut pileup = Pileup::new(&index);
    let mut incremental = IncrementalCaller::new(options.clone());
    let mut rescanning = IncrementalCaller::new(options.clone());
    let mut reported = 0;
    let mut start = 0;
    while start < count {
        // Batches from a handful of reads to a fifth of them.
        let end = (start + 1 + rng.below(count / 5)).min(count);
        pile(&index, &slice(&reads, start, end), &mut pileup);
        start = end;
        let calls = incremental.update(&pileup, &index);
        assert_eq!(
            format!("{calls:?}"),
            format!("{:?}", rescanning.update_rescanning(&pileup, &index)),
            "seed {seed}, after {end} reads"
        );
        reported += calls.len();
    }
    // The calls of the whole pileup were all reported, with their status.
    let mut last = IncrementalCaller::new(options.clone());
    let everything = last.update(&pileup, &index);
    let all = call_variants(&pileup, &index, &options);
    assert_eq!(format!("{everything:?}"), format!("{all:?}"));
    assert!(all.iter().any(|c| c.status == VariantStatus::Confirmed));
    reported
}

#[test]
fn incremental_updates_equal_rescanning_updates_over_random_batches() {
    for seed in 1..=3 {
        assert!(incremental_equals_rescanning(seed, CallerOptions::default()) > 0);
    }
    let haploid = CallerOptions {
        ploidy: Ploidy::Haploid,
        ..CallerOptions::default()
    };
    assert!(incremental_equals_rescanning(4, haploid) > 0);
    assert!(incremental_equals_rescanning(5, CallerOptions::population()) > 0);
}

/// Evidence of `reads` reads over `start..end`, each showing base `alt` at
/// `position`.
fn reads_over(start: u32, end: u32, reads: usize, position: u32, alt: u8) -> Evidence {
    let mut evidence = Evidence::new();
    for _ in 0..reads {
        evidence.span_starts.push(start);
        evidence.span_ends.push(end);
        evidence.snv_positions.push(position);
        evidence.snv_bases.push(alt);
        evidence.snv_qualities.push(30);
        evidence.snv_mapping_qualities.push(60);
    }
    evidence
}

#[test]
fn looks_only_at_the_chunks_a_batch_changed_and_reports_a_confirmed_call_again_as_its_depth_grows()
{
    let reference = Rng::new(9).bases(40_000);
    let index =
        ReferenceIndex::new([("chr1", reference.as_slice())], &IndexOptions::default()).unwrap();
    let alt = if reference[20_100] == b'A' {
        b'C'
    } else {
        b'A'
    };
    let mut pileup = Pileup::new(&index);
    let mut caller = IncrementalCaller::new(CallerOptions::default());
    pileup.add(&reads_over(20_000, 20_300, 4, 20_100, alt));
    let first = caller.update(&pileup, &index);
    assert_eq!(first.len(), 1);
    assert_eq!(
        (first[0].status, first[0].depth),
        (VariantStatus::Confirmed, 4)
    );
    // Reads elsewhere touch one other chunk alone.
    pileup.add(&reads_over(100, 300, 3, 200, b'N'));
    assert!(caller.update(&pileup, &index).is_empty());
    let work = caller.last_work();
    assert_eq!((work.chunks_counted, work.whole_pileup), (1, false));
    assert!(work.chunks_assessed <= 1);

    // Depth 4 → 5 moves nothing; 4 → 6 (half as deep again) reports it again.
    pileup.add(&reads_over(20_000, 20_300, 1, 20_100, alt));
    assert!(caller.update(&pileup, &index).is_empty());
    pileup.add(&reads_over(20_000, 20_300, 1, 20_100, alt));
    let again = caller.update(&pileup, &index);
    assert_eq!((again.len(), again[0].depth), (1, 6));
    // Reported again at most once per growth of a quarter: 6 → 200 reads.
    let mut updates = 0;
    for _ in 0..194 {
        pileup.add(&reads_over(20_000, 20_300, 1, 20_100, alt));
        updates += caller.update(&pileup, &index).len();
    }
    assert!(updates > 0 && updates <= 9, "{updates} updates");
    assert_eq!(caller.reported_count(), 1);
}
