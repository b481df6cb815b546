//! Shared fixtures of the caller's unit tests: reads mapped and piled up.

use super::simulation::{self, reads, Rng};
use crate::align::{
    BatchAlignments, IndexOptions, Mapper, MapperOptions, ReadBatch, ReferenceIndex,
};
use crate::pileup::{Evidence, EvidenceOptions, Pileup};

/// Maps `reads` and piles them up.
pub(super) fn pile(index: &ReferenceIndex, reads: &simulation::Reads, pileup: &mut Pileup) {
    let mut mapper = Mapper::new(MapperOptions::default());
    let (mut alignments, mut evidence) = (BatchAlignments::default(), Evidence::new());
    for chunk in reads.offsets.windows(2).collect::<Vec<_>>().chunks(256) {
        let (first, last) = (chunk[0][0] as usize, chunk[chunk.len() - 1][1] as usize);
        let mut offsets: Vec<u32> = chunk.iter().map(|w| w[0] - first as u32).collect();
        offsets.push((last - first) as u32);
        let batch = ReadBatch::new(
            &reads.bases[first..last],
            &reads.qualities[first..last],
            &offsets,
        )
        .unwrap();
        mapper.map_batch(index, &batch, &mut alignments);
        evidence.clear();
        evidence.add_alignments(index, &alignments, &EvidenceOptions::default());
        pileup.add(&evidence);
    }
}

/// A 5 kbp contig with a homozygous SNV at 1000 and a heterozygous
/// 3 bp deletion at 3000, read at `depth`.
pub(super) fn small_case(depth: usize) -> (ReferenceIndex, simulation::Reads) {
    let mut rng = Rng::new(42);
    let reference = rng.bases(5_000);
    let mut alt = reference.clone();
    alt[1_000] = rng.other_base(reference[1_000]);
    let mut deleted = alt.clone();
    deleted.drain(3_001..3_004);
    let sample = simulation::Sample {
        contigs: vec![("chr1".into(), reference.clone())],
        haplotypes: vec![[alt, deleted]],
        truth: Vec::new(),
    };
    let index =
        ReferenceIndex::new([("chr1", reference.as_slice())], &IndexOptions::default()).unwrap();
    let count = 5_000 * depth / 150;
    (index, reads(&mut rng, &sample, count, 150, 0.002, 0.0))
}
