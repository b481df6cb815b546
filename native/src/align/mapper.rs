//! The mapper: the entry points (batches, single reads), read preparation
//! (normalising, quality trimming) and the placement of a read: long seeds,
//! short seeds when needed, split reads joined.

use super::banded::{DpScratch, Op};
use super::bases::NORMALISED;
use super::events::emit;
use super::origin::extend_across_origin;
use super::prefetch::PrefetchStage;
use super::seed::Seeds;
use super::split::join_split_read;
use super::trim::low_quality_tail;
use super::{
    BatchAlignments, MapperOptions, ReadAlignment, ReadBatch, ReadPlacement, ReferenceIndex, Strand,
};

/// Maps reads to a [`ReferenceIndex`]. Holds scratch buffers only: make one
/// per thread and reuse it across batches.
#[derive(Debug, Clone, Default)]
pub struct Mapper {
    pub(super) options: MapperOptions,
    /// The read, normalised, as given and reverse-complemented (filled only
    /// when a reverse-strand candidate is aligned), with Phred qualities.
    pub(super) forward: Vec<u8>,
    pub(super) forward_qualities: Vec<u8>,
    pub(super) reverse: Vec<u8>,
    pub(super) reverse_qualities: Vec<u8>,
    pub(super) seeds: Seeds,
    pub(super) window: Vec<u8>,
    pub(super) dp: DpScratch,
    /// Runs of operations of the alignment being built and of the best one.
    pub(super) ops: Vec<(Op, u32)>,
    pub(super) best_ops: Vec<(Op, u32)>,
    /// Operations set aside while another alignment is tried.
    pub(super) narrow_ops: Vec<(Op, u32)>,
    pub(super) long_seed_ops: Vec<(Op, u32)>,
    pub(super) columns: Vec<Op>,
    pub(super) single: BatchAlignments,
    /// A paired batch's mates as placed on their own, before pairing.
    pub(super) unpaired: BatchAlignments,
}

/// Reads up to this long that no long seed places are seeded again with the
/// index's short k-mers.
const SHORT_SEEDED_READS: usize = 100;
/// Reads shorter than this are seeded with short k-mers too unless the long
/// seeds place them perfectly and uniquely (a paralog may hold the exact
/// long seed the true place lost to an error), and only they are seeded
/// with the short k-mers' neighbours (many look-ups) when all else fails.
pub(super) const SHORT_READS: usize = 50;
/// Quality trimming never shortens a read below this many bases.
const TRIMMED_LENGTH: usize = 35;

/// A scored alignment of the oriented read; its operations are in the
/// mapper's scratch.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) score: i32,
    pub(super) mapq: u8,
    pub(super) strand: Strand,
    pub(super) contig: usize,
    /// Global coordinate of the first aligned reference base.
    pub(super) ref_start: u32,
    /// Global coordinate after the last aligned reference base.
    pub(super) ref_end: u32,
    pub(super) clip_start: usize,
    pub(super) clip_end: usize,
}

impl Mapper {
    /// A mapper with the given options.
    pub fn new(options: MapperOptions) -> Self {
        Mapper {
            options,
            ..Mapper::default()
        }
    }

    /// The mapper's options.
    pub fn options(&self) -> &MapperOptions {
        &self.options
    }

    /// Maps every read of `batch`, replacing the contents of `out`.
    pub fn map_batch(
        &mut self,
        index: &ReferenceIndex,
        batch: &ReadBatch<'_>,
        out: &mut BatchAlignments,
    ) {
        out.clear();
        out.reads.reserve(batch.len());
        let seeds = self.options.seeds_per_read;
        let reads = batch.len();
        // Index and reference look-ups are random memory accesses; issuing
        // them for the next reads while this one is mapped hides most of
        // their latency. Three reads ahead the bucket bounds are fetched, two
        // ahead the entries (bounds now cached), one ahead the reference.
        let stages = [
            PrefetchStage::Reference,
            PrefetchStage::Entries,
            PrefetchStage::Buckets,
        ];
        for i in 0..reads {
            for (ahead, &stage) in stages.iter().enumerate() {
                if i + ahead + 1 < reads {
                    index.prefetch(batch.read(i + ahead + 1).0, seeds, stage);
                }
            }
            let (bases, qualities) = batch.read(i);
            self.map_into(index, bases, qualities, out);
        }
    }

    /// Maps one read (ASCII bases, Phred+33 qualities of the same length);
    /// `None` when it does not map.
    pub fn map_read(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
    ) -> Option<ReadAlignment> {
        let mut single = std::mem::take(&mut self.single);
        single.clear();
        self.map_into(index, bases, qualities, &mut single);
        let alignment = single.alignment(0);
        self.single = single;
        alignment
    }

    /// Maps one read and appends its placement and events to `out`.
    pub(super) fn map_into(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
        out: &mut BatchAlignments,
    ) {
        let tail = self.prepare(bases, qualities);
        let scored = self.place(index);
        self.record(index, scored, tail, out);
    }

    /// Normalises the read into `self.forward` (with its Phred qualities)
    /// and trims its low-quality tail; returns the trimmed bases.
    pub(super) fn prepare(&mut self, bases: &[u8], qualities: &[u8]) -> usize {
        let length = bases.len().min(qualities.len());
        self.forward.clear();
        self.forward
            .extend(bases[..length].iter().map(|&b| NORMALISED[b as usize]));
        self.forward_qualities.clear();
        self.forward_qualities
            .extend(qualities[..length].iter().map(|&q| q.saturating_sub(33)));
        self.reverse.clear();
        self.reverse_qualities.clear();
        let tail = match self.options.trim_quality {
            0 => 0,
            threshold => low_quality_tail(&self.forward_qualities, threshold, TRIMMED_LENGTH),
        };
        self.forward.truncate(length - tail);
        self.forward_qualities.truncate(length - tail);
        tail
    }

    /// Appends the placement `scored` of the prepared read (operations in
    /// `self.best_ops`; `None`: unmapped) with its events to `out`, the
    /// `tail` trimmed by [`Mapper::prepare`] counted as clipped.
    pub(super) fn record(
        &self,
        index: &ReferenceIndex,
        scored: Option<Scored>,
        tail: usize,
        out: &mut BatchAlignments,
    ) {
        let mut placement = match scored {
            Some(scored) => {
                let (read, qualities) = match scored.strand {
                    Strand::Forward => (&self.forward, &self.forward_qualities),
                    Strand::Reverse => (&self.reverse, &self.reverse_qualities),
                };
                emit(index, &scored, read, qualities, &self.best_ops, out)
            }
            None => ReadPlacement {
                events_start: out.events.len() as u32,
                events_end: out.events.len() as u32,
                ..ReadPlacement::UNMAPPED
            },
        };
        let tail = tail.min(u16::MAX as usize) as u16;
        match placement.strand {
            _ if !placement.mapped => {}
            Strand::Forward => placement.clip_end = placement.clip_end.saturating_add(tail),
            Strand::Reverse => placement.clip_start = placement.clip_start.saturating_add(tail),
        }
        out.reads.push(placement);
    }

    /// Seeds, votes and aligns the read in `self.forward` (long seeds, then
    /// short ones if needed), joining split pieces; the best alignment is
    /// returned with its operations in `self.best_ops`, across the origin of
    /// a circular contig when it reaches it.
    fn place(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let length = self.forward.len();
        let long = self.place_with_long_seeds(index);
        let short_seeded = match long {
            None => length <= SHORT_SEEDED_READS,
            Some(best) => {
                length < SHORT_READS
                    && (best.mapq < 60 || best.score < length as i32 * self.options.match_score)
            }
        };
        let best = if short_seeded {
            self.place_with_short_seeds(index, long)
        } else {
            long
        }?;
        let read = match best.strand {
            Strand::Forward => &self.forward,
            Strand::Reverse => &self.reverse,
        };
        let candidates = self.seeds.candidates();
        let joined = join_split_read(
            index,
            read,
            &best,
            &mut self.best_ops,
            candidates,
            &self.options,
        )
        .or_else(|| extend_across_origin(index, read, &best, &mut self.best_ops, &self.options));
        Some(joined.unwrap_or(best))
    }

    /// Lowest score of a mapped read of `length` bases: the configured
    /// minimum, or half the read's bases for short reads.
    pub(super) fn min_score(&self, length: usize) -> i32 {
        self.options
            .min_score
            .min(length as i32 * self.options.match_score / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::reverse_complement;
    use crate::align::testing::{index_of, qualities, setup};
    use crate::align::BatchSummary;
    use crate::caller::simulation::Rng;

    #[test]
    fn maps_exact_reads_on_both_strands() {
        let (reference, index, mut mapper) = setup(2);
        let read = &reference[5_000..5_150];
        let forward = mapper.map_read(&index, read, &qualities(150)).unwrap();
        assert_eq!(
            (forward.contig, forward.start, forward.end),
            (0, 5_000, 5_150)
        );
        assert_eq!(forward.strand, Strand::Forward);
        assert_eq!((forward.mapq, forward.score), (60, 150));
        assert!(forward.events.is_empty());

        let reverse = mapper
            .map_read(&index, &reverse_complement(read), &qualities(150))
            .unwrap();
        assert_eq!((reverse.start, reverse.end), (5_000, 5_150));
        assert_eq!(reverse.strand, Strand::Reverse);
        assert!(reverse.events.is_empty());
    }

    #[test]
    fn reports_unmapped_reads() {
        let (_, index, mut mapper) = setup(8);
        let foreign = Rng::new(1234).bases(150);
        assert!(mapper.map_read(&index, &foreign, &qualities(150)).is_none());
        assert!(mapper.map_read(&index, b"ACGT", &qualities(4)).is_none());
        assert!(mapper.map_read(&index, b"", b"").is_none());
    }

    #[test]
    fn maps_to_the_right_contig_in_local_coordinates() {
        let mut rng = Rng::new(9);
        let (one, two, three) = (rng.bases(5_000), rng.bases(3_000), rng.bases(4_000));
        let index = index_of(&[("one", &one), ("two", &two), ("three", &three)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let alignment = mapper
            .map_read(&index, &two[1_000..1_150], &qualities(150))
            .unwrap();
        assert_eq!((alignment.contig, alignment.start), (1, 1_000));
        let alignment = mapper
            .map_read(
                &index,
                &reverse_complement(&three[3_850..4_000]),
                &qualities(150),
            )
            .unwrap();
        assert_eq!(
            (alignment.contig, alignment.start, alignment.end),
            (2, 3_850, 4_000)
        );
        // A read running off the end of a contig is clipped there, never
        // aligned into the next contig.
        let mut read = two[2_900..3_000].to_vec();
        read.extend_from_slice(&three[..50]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.contig, 1);
        assert_eq!((alignment.start, alignment.end), (2_900, 3_000));
        assert_eq!(alignment.clip_end, 50);
    }

    #[test]
    fn gives_repeats_a_low_mapping_quality() {
        let mut rng = Rng::new(10);
        let repeat = rng.bases(400);
        let mut reference = rng.bases(5_000);
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(5_000));
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(5_000));
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let alignment = mapper
            .map_read(&index, &repeat[100..250], &qualities(150))
            .unwrap();
        assert_eq!(alignment.mapq, 0);
        let unique = mapper
            .map_read(&index, &reference[1_000..1_150], &qualities(150))
            .unwrap();
        assert_eq!(unique.mapq, 60);
    }

    #[test]
    fn maps_a_batch_in_struct_of_arrays_form() {
        let (reference, index, mut mapper) = setup(11);
        let mut bases = reference[100..250].to_vec();
        bases.extend(Rng::new(77).bases(150));
        let mut snv = reference[600..750].to_vec();
        snv[10] = if snv[10] == b'G' { b'T' } else { b'G' };
        bases.extend_from_slice(&snv);
        let quals = qualities(bases.len());
        let offsets = [0, 150, 300, 450];
        let batch = ReadBatch::new(&bases, &quals, &offsets).unwrap();
        assert_eq!(batch.len(), 3);
        let mut out = BatchAlignments::default();
        mapper.map_batch(&index, &batch, &mut out);
        assert_eq!(out.reads.len(), 3);
        assert!(out.reads[0].mapped && !out.reads[1].mapped && out.reads[2].mapped);
        assert_eq!(out.events_of(2).len(), 1);
        assert_eq!(out.events_of(2)[0].position, 610);
        assert_eq!(
            out.summary(),
            BatchSummary {
                reads: 3,
                mapped: 2,
                reads_with_events: 1,
                mismatches: 1,
                insertions: 0,
                deletions: 0,
            }
        );
    }
}
