//! Mutating a reference into a diploid sample with its truth set.

use super::bases::substitute;
use super::buffers::huge_page_vec;
use super::{Genotype, TruthVariant};
use crate::error::{check_rate, Result};
use crate::reference::Reference;
use crate::rng::{threshold, Rng, Stream};

/// Longest simulated indel.
pub const MAX_INDEL: usize = 10;
/// Probability that an indel grows by one more base.
pub const INDEL_EXTEND: f64 = 0.3;

/// One contig of the diploid sample.
#[derive(Clone, Debug)]
pub struct SampleContig {
    /// Contig name, as in the reference.
    pub name: String,
    /// Length of the reference contig.
    pub reference_length: u64,
    /// The two haplotype sequences.
    pub haplotypes: [Vec<u8>; 2],
    /// Whether the contig has any `N`.
    pub has_n: bool,
}

/// How to mutate a reference.
#[derive(Clone, Copy, Debug)]
pub struct MutationOptions {
    /// Probability that a reference position starts a mutation.
    pub mutation_rate: f64,
    /// Fraction of mutations that are indels.
    pub indel_fraction: f64,
}

impl Default for MutationOptions {
    fn default() -> Self {
        Self {
            mutation_rate: 0.001,
            indel_fraction: 0.15,
        }
    }
}

/// A diploid sample made from a reference, with its truth set.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Contigs in reference order.
    pub contigs: Vec<SampleContig>,
    /// Injected variants, sorted by contig and position.
    pub truth: Vec<TruthVariant>,
}

struct Edit {
    start: usize,
    reference_length: usize,
    genotype: Genotype,
}

impl Sample {
    /// Injects SNVs and indels into both haplotypes of `reference`.
    pub fn mutate(reference: &Reference, options: &MutationOptions, seed: u64) -> Result<Self> {
        check_rate("mutationRate", options.mutation_rate)?;
        check_rate("indelFraction", options.indel_fraction)?;
        let mutation = threshold(options.mutation_rate);
        let indel = threshold(options.indel_fraction);
        let extend = threshold(INDEL_EXTEND);
        let mut rng = Rng::new(seed, Stream::Mutations);
        let mut truth = Vec::new();
        let mut contigs = Vec::with_capacity(reference.contigs.len());
        for (index, contig) in reference.contigs.iter().enumerate() {
            let seq = &contig.sequence;
            let len = seq.len();
            let first_variant = truth.len();
            let mut edits = Vec::new();
            let mut i = 0usize;
            while i < len {
                let position = i;
                i += 1;
                if u64::from(rng.next_u32()) >= mutation {
                    continue;
                }
                let base = seq[position];
                if base == b'N' {
                    continue;
                }
                let genotype = match rng.below(3) {
                    0 => Genotype::Homozygous,
                    1 => Genotype::First,
                    _ => Genotype::Second,
                };
                let (reference_allele, alternate) = if u64::from(rng.next_u32()) < indel {
                    let deletion = rng.bit() == 1;
                    let mut length = 1;
                    while length < MAX_INDEL && u64::from(rng.next_u32()) < extend {
                        length += 1;
                    }
                    if deletion {
                        let end = position + length;
                        if end >= len || seq[position + 1..=end].contains(&b'N') || seq[end] == base
                        {
                            continue;
                        }
                        i = end + 1;
                        (seq[position..=end].to_vec(), vec![base])
                    } else {
                        let mut alternate = Vec::with_capacity(length + 1);
                        alternate.push(base);
                        for _ in 0..length {
                            alternate.push(b"ACGT"[(rng.next_u32() >> 30) as usize]);
                        }
                        if alternate[length] == base {
                            alternate[length] = substitute(base, rng.below(3));
                        }
                        (vec![base], alternate)
                    }
                } else {
                    (vec![base], vec![substitute(base, rng.below(3))])
                };
                edits.push(Edit {
                    start: position,
                    reference_length: reference_allele.len(),
                    genotype,
                });
                truth.push(TruthVariant {
                    contig: index,
                    position: position as u64 + 1,
                    reference: reference_allele,
                    alternate,
                    genotype,
                });
            }
            let variants = &truth[first_variant..];
            let haplotypes = [0, 1].map(|h| {
                let mut hap = huge_page_vec(len + len / 100 + MAX_INDEL);
                let mut cursor = 0;
                for (edit, variant) in edits.iter().zip(variants) {
                    if !edit.genotype.carries(h) {
                        continue;
                    }
                    hap.extend_from_slice(&seq[cursor..edit.start]);
                    hap.extend_from_slice(&variant.alternate);
                    cursor = edit.start + edit.reference_length;
                }
                hap.extend_from_slice(&seq[cursor..]);
                hap
            });
            contigs.push(SampleContig {
                name: contig.name.clone(),
                reference_length: len as u64,
                haplotypes,
                has_n: seq.contains(&b'N'),
            });
        }
        Ok(Self { contigs, truth })
    }

    /// Total reference length.
    pub fn reference_length(&self) -> u64 {
        self.contigs.iter().map(|c| c.reference_length).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{apply_truth, mutate, reference};
    use super::super::VariantKind;
    use super::*;

    #[test]
    fn truth_describes_the_haplotypes() {
        let r = reference(200_000);
        let sample = mutate(&r, 0.01, 0.3);
        assert!(sample.truth.len() > 1000);
        for h in 0..2 {
            assert_eq!(sample.contigs[0].haplotypes[h], apply_truth(&r, &sample, h));
        }
        let kinds = |k| sample.truth.iter().filter(|v| v.kind() == k).count();
        assert!(kinds(VariantKind::Snv) > kinds(VariantKind::Insertion));
        assert!(kinds(VariantKind::Insertion) > 100 && kinds(VariantKind::Deletion) > 100);
        let homozygous = sample
            .truth
            .iter()
            .filter(|v| v.genotype == Genotype::Homozygous)
            .count();
        assert!(homozygous * 4 > sample.truth.len() && homozygous * 2 < sample.truth.len());
        for v in &sample.truth {
            assert!(v.reference.len() <= MAX_INDEL + 1 && v.alternate.len() <= MAX_INDEL + 1);
            if v.kind() != VariantKind::Snv {
                assert_eq!(
                    v.reference[0], v.alternate[0],
                    "indels carry the anchor base"
                );
            }
            let seq = &r.contigs[0].sequence;
            let p = v.position as usize - 1;
            match v.kind() {
                VariantKind::Snv => assert_ne!(v.reference, v.alternate),
                // Left-normalised: the indel cannot shift one base left.
                VariantKind::Insertion => assert_ne!(v.alternate.last(), Some(&seq[p])),
                VariantKind::Deletion => assert_ne!(v.reference.last(), Some(&seq[p])),
            }
        }
        assert!(sample
            .truth
            .windows(2)
            .all(|w| w[0].position < w[1].position));
    }

    #[test]
    fn no_mutations_on_n_and_none_at_rate_zero() {
        let r =
            Reference::parse_fasta(&b">n\nNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN\n"[..], "n.fa").unwrap();
        assert!(mutate(&r, 1.0, 0.5).truth.is_empty());
        let r = reference(10_000);
        let sample = mutate(&r, 0.0, 0.5);
        assert!(sample.truth.is_empty());
        assert_eq!(sample.contigs[0].haplotypes[0], r.contigs[0].sequence);
    }
}
