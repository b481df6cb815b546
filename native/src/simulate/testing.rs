//! Shared fixtures of the simulator's unit tests.

use std::sync::Arc;

use super::{MutationOptions, ReadOptions, ReadSimulator, Sample};
use crate::reference::Reference;

/// A random one-contig reference (`chrT`) of `len` bases.
pub(super) fn reference(len: u64) -> Reference {
    Reference::random(len, 11, "chrT").unwrap()
}

pub(super) fn mutate(r: &Reference, rate: f64, indels: f64) -> Sample {
    Sample::mutate(
        r,
        &MutationOptions {
            mutation_rate: rate,
            indel_fraction: indels,
        },
        5,
    )
    .unwrap()
}

/// Applies the truth set to the reference, independently of `mutate`.
pub(super) fn apply_truth(r: &Reference, sample: &Sample, h: usize) -> Vec<u8> {
    let seq = &r.contigs[0].sequence;
    let mut out = Vec::new();
    let mut cursor = 0usize;
    for v in sample.truth.iter().filter(|v| v.genotype.carries(h)) {
        let p = v.position as usize - 1;
        assert_eq!(&seq[p..p + v.reference.len()], &v.reference[..]);
        out.extend_from_slice(&seq[cursor..p]);
        out.extend_from_slice(&v.alternate);
        cursor = p + v.reference.len();
    }
    out.extend_from_slice(&seq[cursor..]);
    out
}

pub(super) fn simulator(sample: Sample, options: ReadOptions) -> ReadSimulator {
    ReadSimulator::new(Arc::new(sample), options, 9).unwrap()
}
