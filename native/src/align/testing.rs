//! Shared fixtures of the mapper's unit tests.

use super::{IndexOptions, Mapper, MapperOptions, ReferenceIndex};
use crate::caller::simulation::Rng;

/// An index over `contigs` with the default options.
pub(crate) fn index_of(contigs: &[(&str, &[u8])]) -> ReferenceIndex {
    ReferenceIndex::new(contigs.iter().copied(), &IndexOptions::default()).unwrap()
}

/// Qualities of a read of `length` bases, all Phred 40.
pub(crate) fn qualities(length: usize) -> Vec<u8> {
    vec![b'I'; length]
}

/// A 20 kbp random reference (one contig) and a mapper.
pub(crate) fn setup(seed: u64) -> (Vec<u8>, ReferenceIndex, Mapper) {
    let reference = Rng::new(seed).bases(20_000);
    let index = index_of(&[("chr1", &reference)]);
    (reference, index, Mapper::new(MapperOptions::default()))
}
