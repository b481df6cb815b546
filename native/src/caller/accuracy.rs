//! Accuracy of the whole detection path (map, pile up, call) on simulated
//! genomes, against their truth sets.

use std::collections::{HashMap, HashSet};

use super::simulation::{reads, sample, Rng};
use super::testing::pile;
use super::{call_variants, CallerOptions, Genotype, VariantStatus};
use crate::align::{IndexOptions, ReferenceIndex};
use crate::pileup::{normalise, Pileup};

/// Precision and recall of confirmed calls against the truth, after
/// normalising both, for SNVs and indels.
#[derive(Debug, Default, Clone, Copy)]
struct Accuracy {
    truth: [usize; 2],
    called: [usize; 2],
    true_positives: [usize; 2],
    /// True positives whose genotype (0/1 or 1/1) is right too.
    genotypes_right: usize,
}

impl Accuracy {
    fn add(&mut self, other: &Accuracy) {
        for kind in 0..2 {
            self.truth[kind] += other.truth[kind];
            self.called[kind] += other.called[kind];
            self.true_positives[kind] += other.true_positives[kind];
        }
        self.genotypes_right += other.genotypes_right;
    }

    fn genotype_concordance(&self) -> f64 {
        let tp = self.true_positives[0] + self.true_positives[1];
        self.genotypes_right as f64 / tp.max(1) as f64
    }

    fn precision(&self, kinds: &[usize]) -> f64 {
        let tp: usize = kinds.iter().map(|&k| self.true_positives[k]).sum();
        let called: usize = kinds.iter().map(|&k| self.called[k]).sum();
        tp as f64 / called.max(1) as f64
    }

    fn recall(&self, kinds: &[usize]) -> f64 {
        let tp: usize = kinds.iter().map(|&k| self.true_positives[k]).sum();
        let truth: usize = kinds.iter().map(|&k| self.truth[k]).sum();
        tp as f64 / truth.max(1) as f64
    }

    fn report(&self, label: &str) -> String {
        format!(
            "{label}: SNV precision {:.4} recall {:.4} ({} true) | indel precision {:.4} recall {:.4} ({} true) | overall precision {:.4} recall {:.4} | genotypes {:.4}",
            self.precision(&[0]),
            self.recall(&[0]),
            self.truth[0],
            self.precision(&[1]),
            self.recall(&[1]),
            self.truth[1],
            self.precision(&[0, 1]),
            self.recall(&[0, 1]),
            self.genotype_concordance(),
        )
    }
}

/// Simulates a genome of `contig_lengths`, reads it at 30×, maps, piles up
/// and calls it; scores the calls.
fn accuracy_for_seed(seed: u64, contig_lengths: &[usize]) -> Accuracy {
    const SNV: usize = 0;
    const INDEL: usize = 1;
    let mut rng = Rng::new(seed);
    let sample = sample(&mut rng, contig_lengths, 0.001, 0.15);
    let index = ReferenceIndex::new(
        sample
            .contigs
            .iter()
            .map(|(n, s)| (n.as_str(), s.as_slice())),
        &IndexOptions::default(),
    )
    .unwrap();
    let read_count = contig_lengths.iter().sum::<usize>() * 30 / 150;
    let reads = reads(&mut rng, &sample, read_count, 150, 0.002, 0.0002);
    let mut pileup = Pileup::new(&index);
    pile(&index, &reads, &mut pileup);
    let calls = call_variants(&pileup, &index, &CallerOptions::default());

    let key = |contig: usize, position: usize, reference: &[u8], alternate: &[u8]| {
        let normalised = normalise(&sample.contigs[contig].1, position, reference, alternate);
        let kind = if normalised.1.len() == 1 && normalised.2.len() == 1 {
            SNV
        } else {
            INDEL
        };
        (kind, contig, normalised)
    };
    let truth_genotypes: HashMap<_, _> = sample
        .truth
        .iter()
        .map(|v| {
            let genotype = if v.homozygous {
                Genotype::HomozygousAlternate
            } else {
                Genotype::Heterozygous
            };
            (
                key(v.contig, v.position, &v.reference, &v.alternate),
                genotype,
            )
        })
        .collect();
    let truth: HashSet<_> = truth_genotypes.keys().cloned().collect();
    let called_genotypes: HashMap<_, _> = calls
        .iter()
        .filter(|c| c.status == VariantStatus::Confirmed)
        .map(|c| {
            let position = c.position as usize - 1;
            let allele = key(
                c.contig,
                position,
                c.reference.as_bytes(),
                c.alternate.as_bytes(),
            );
            (allele, c.genotype)
        })
        .collect();
    let called: HashSet<_> = called_genotypes.keys().cloned().collect();
    let mut accuracy = Accuracy::default();
    for kind in [SNV, INDEL] {
        accuracy.truth[kind] = truth.iter().filter(|k| k.0 == kind).count();
        accuracy.called[kind] = called.iter().filter(|k| k.0 == kind).count();
        accuracy.true_positives[kind] = truth.intersection(&called).filter(|k| k.0 == kind).count();
    }
    accuracy.genotypes_right = truth
        .intersection(&called)
        .filter(|k| Some(truth_genotypes[*k]) == called_genotypes[*k])
        .count();
    for missed in truth.difference(&called) {
        eprintln!("seed {seed}: missed {missed:?}");
    }
    for false_call in called.difference(&truth) {
        eprintln!("seed {seed}: false call {false_call:?}");
    }
    accuracy
}

/// Asserts the thresholds every genome must meet on its own.
fn assert_genome_accurate(accuracy: &Accuracy, label: &str) {
    eprintln!("{}", accuracy.report(label));
    assert!(
        accuracy.precision(&[0, 1]) >= 0.99,
        "{}",
        accuracy.report("precision")
    );
    assert!(
        accuracy.recall(&[0, 1]) >= 0.98,
        "{}",
        accuracy.report("recall")
    );
}

/// Asserts the thresholds of SNVs and indels separately, and of genotypes,
/// over several genomes.
fn assert_pooled_accurate(pooled: &Accuracy) {
    eprintln!("{}", pooled.report("pooled"));
    assert!(
        pooled.genotype_concordance() >= 0.98,
        "{}",
        pooled.report("pooled")
    );
    for kind in [0, 1] {
        assert!(
            pooled.precision(&[kind]) >= 0.99,
            "{}",
            pooled.report("pooled")
        );
        assert!(
            pooled.recall(&[kind]) >= 0.98,
            "{}",
            pooled.report("pooled")
        );
    }
}

#[test]
fn calls_simulated_genomes_with_high_precision_and_recall() {
    let mut pooled = Accuracy::default();
    for seed in [1, 2, 3] {
        let accuracy = accuracy_for_seed(seed, &[120_000, 80_000]);
        assert_genome_accurate(&accuracy, &format!("seed {seed}"));
        pooled.add(&accuracy);
    }
    assert_pooled_accurate(&pooled);
}

/// Twenty more genomes, each too small (about 20 variants) for per-genome
/// thresholds to mean much, together enough to catch what only some random
/// references provoke (variants close together, near contig ends, in
/// chance repeats).
#[test]
fn calls_twenty_smaller_genomes_with_high_pooled_precision_and_recall() {
    let mut pooled = Accuracy::default();
    for seed in 4..24 {
        let accuracy = accuracy_for_seed(seed, &[12_000, 8_000]);
        eprintln!("{}", accuracy.report(&format!("seed {seed}")));
        pooled.add(&accuracy);
    }
    assert_pooled_accurate(&pooled);
}
