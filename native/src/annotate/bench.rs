//! What one call costs the annotator without Node: SNVs at random places of
//! a 5 Mbp contig with a 999-base gene every 1,250 bases, strands
//! alternating (the genome of `apps/api/bench/annotation.ts`).
//!
//! `cargo test --release annotate::bench -- --ignored --nocapture`

use std::fmt::Write;
use std::time::Instant;

use super::*;

const GENOME: usize = 5_000_000;
const SPACING: usize = 1_250;
const GENE: usize = 999;
const CALLS: usize = 100_000;

fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
fn an_snv_is_annotated_in_microseconds() {
    let mut state = 3u64;
    let mut bases: Vec<u8> = (0..GENOME)
        .map(|_| b"ACGT"[(next(&mut state) % 4) as usize])
        .collect();
    let mut gff = String::from("##gff-version 3\n");
    for (index, start) in (101..GENOME - GENE).step_by(SPACING).enumerate() {
        let end = start + GENE - 1;
        let strand = if index % 2 == 0 { '+' } else { '-' };
        // Sense codons between ATG and TAA, so translation meets no internal stop.
        let mut cds = b"ATG".to_vec();
        while cds.len() < GENE - 3 {
            let codon: Vec<u8> = (0..3)
                .map(|_| b"ACGT"[(next(&mut state) % 4) as usize])
                .collect();
            if !matches!(&codon[..], b"TAA" | b"TAG" | b"TGA") {
                cds.extend(codon);
            }
        }
        cds.extend(b"TAA");
        if strand == '-' {
            cds = feature::reverse_complement(&cds);
        }
        bases[start - 1..end].copy_from_slice(&cds);
        writeln!(
            gff,
            "chr\tb\tCDS\t{start}\t{end}\t.\t{strand}\t0\tID=cds-{index};Name=g{index};locus_tag=B_{index}"
        )
        .unwrap();
    }
    let reference = ReferenceContigs {
        contigs: vec![ContigSequence {
            name: "chr".into(),
            sequence: bases.clone(),
            circular: false,
        }],
    };
    let reading = Instant::now();
    let annotation = Annotation::from_gff3(gff.as_bytes(), reference, "bench.gff3", None).unwrap();
    println!(
        "{} genes read in {:.1} ms",
        annotation.features().len(),
        reading.elapsed().as_secs_f64() * 1e3
    );
    assert!(
        annotation.warnings.is_empty(),
        "{:?}",
        &annotation.warnings[..3]
    );
    let calls: Vec<(u64, u8, u8)> = (0..CALLS)
        .map(|_| {
            let position = 1 + next(&mut state) % GENOME as u64;
            let reference = bases[position as usize - 1];
            let alternate = *b"ACGT"
                .iter()
                .filter(|b| **b != reference)
                .nth((next(&mut state) % 3) as usize)
                .unwrap();
            (position, reference, alternate)
        })
        .collect();
    let started = Instant::now();
    let mut effects = 0;
    for (position, reference, alternate) in &calls {
        effects += annotation
            .annotate("chr", *position, &[*reference], &[*alternate])
            .unwrap()
            .len();
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / CALLS as f64;
    println!("{CALLS} SNVs, {effects} effects: {micros:.2} µs per call");
    let started = Instant::now();
    let mut text = String::new();
    for (position, reference, alternate) in &calls {
        let effects = annotation
            .annotate("chr", *position, &[*reference], &[*alternate])
            .unwrap();
        text.clear();
        ann::write_ann(
            &mut text,
            std::str::from_utf8(&[*alternate]).unwrap(),
            &effects,
        );
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / CALLS as f64;
    println!("with their ANN values: {micros:.2} µs per call");
    // An indel rebuilds and retranslates the transcript: a deletion of the base after each SNV's.
    let started = Instant::now();
    let mut effects = 0;
    for (position, reference, _) in &calls {
        let next = bases.get(*position as usize).copied().unwrap_or(b'A');
        effects += annotation
            .annotate("chr", *position, &[*reference, next], &[*reference])
            .map_or(0, |e| e.len());
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / CALLS as f64;
    println!("{CALLS} deletions, {effects} effects: {micros:.2} µs per call");
}
