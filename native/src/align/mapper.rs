//! The mapper: seeds and votes a read, aligns the leading candidates (the
//! ungapped fast path, else the banded alignment), keeps the best and grades
//! its mapping quality.

use super::banded::{banded_align, DpScratch, Op, NEG};
use super::bases::{COMPLEMENT, NORMALISED, OUTSIDE};
use super::events::emit;
use super::index::PrefetchStage;
use super::seed::{Candidate, SeedPlan, Seeds};
use super::ungapped::ungapped_score;
use super::{
    BatchAlignments, MapperOptions, ReadAlignment, ReadBatch, ReadPlacement, ReferenceIndex, Strand,
};

/// Maps reads to a [`ReferenceIndex`]. Holds scratch buffers only: make one
/// per thread and reuse it across batches.
#[derive(Debug, Clone, Default)]
pub struct Mapper {
    options: MapperOptions,
    /// The read, normalised, as given and reverse-complemented (filled only
    /// when a reverse-strand candidate is aligned), with Phred qualities.
    forward: Vec<u8>,
    forward_qualities: Vec<u8>,
    reverse: Vec<u8>,
    reverse_qualities: Vec<u8>,
    seeds: Seeds,
    window: Vec<u8>,
    dp: DpScratch,
    /// Runs of operations of the alignment being built and of the best one.
    ops: Vec<(Op, u32)>,
    best_ops: Vec<(Op, u32)>,
    columns: Vec<Op>,
    single: BatchAlignments,
}

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
    fn map_into(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
        out: &mut BatchAlignments,
    ) {
        let length = bases.len().min(qualities.len());
        self.forward.clear();
        self.forward
            .extend(bases[..length].iter().map(|&b| NORMALISED[b as usize]));
        self.forward_qualities.clear();
        self.forward_qualities
            .extend(qualities[..length].iter().map(|&q| q.saturating_sub(33)));
        self.reverse.clear();
        self.reverse_qualities.clear();

        let placement = match self.place(index) {
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
        out.reads.push(placement);
    }

    /// Seeds, votes and aligns the read in `self.forward`; the best alignment
    /// is returned with its operations in `self.best_ops`.
    fn place(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let k = index.kmer_length();
        let length = self.forward.len();
        let plan = SeedPlan::new(length, k, self.options.seeds_per_read)?;
        let first_round = plan.first_round();
        let (band, max_occurrences) = (self.options.band, self.options.max_seed_occurrences);
        self.seeds.clear();
        for &s in first_round {
            self.seeds
                .seed(index, &self.forward, plan.offset(s), max_occurrences);
        }
        self.seeds.vote(band);
        let candidates = self.seeds.candidates();
        if candidates.len() == 1 && candidates[0].votes >= 2 {
            let candidate = candidates[0];
            if let Some(scored) = self.align_candidate(index, candidate) {
                if scored.score >= self.options.min_score {
                    std::mem::swap(&mut self.ops, &mut self.best_ops);
                    return Some(Scored { mapq: 60, ..scored });
                }
            }
        }
        if plan.seeds > first_round.len() {
            for s in (0..plan.seeds).filter(|s| !first_round.contains(s)) {
                self.seeds
                    .seed(index, &self.forward, plan.offset(s), max_occurrences);
            }
            self.seeds.vote(band);
        }
        self.best_of_candidates(index)
    }

    /// Aligns the leading candidates and keeps the best; the runner-up's
    /// score grades the mapping quality.
    fn best_of_candidates(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let top_votes = self.seeds.candidates().first()?.votes;
        let tried = self
            .seeds
            .candidates()
            .iter()
            .take(3)
            .filter(|c| c.votes * 2 >= top_votes)
            .count();
        let mut best: Option<Scored> = None;
        let mut second = NEG;
        for i in 0..tried {
            let candidate = self.seeds.candidates()[i];
            let Some(scored) = self.align_candidate(index, candidate) else {
                continue;
            };
            match best {
                Some(b) if scored.score <= b.score => second = second.max(scored.score),
                _ => {
                    if let Some(b) = best {
                        second = second.max(b.score);
                    }
                    best = Some(scored);
                    std::mem::swap(&mut self.ops, &mut self.best_ops);
                }
            }
        }
        let best = best.filter(|b| b.score >= self.options.min_score)?;
        let mapq = if second == NEG {
            60
        } else {
            ((best.score - second) * 6).clamp(0, 60) as u8
        };
        Some(Scored { mapq, ..best })
    }

    /// Aligns the read (oriented for `candidate.strand`) around the
    /// candidate's diagonal, within the contig holding the read's middle.
    /// Operations go to `self.ops`.
    fn align_candidate(&mut self, index: &ReferenceIndex, candidate: Candidate) -> Option<Scored> {
        let length = self.forward.len();
        if candidate.strand == Strand::Reverse && self.reverse.is_empty() {
            self.reverse
                .extend(self.forward.iter().rev().map(|&b| COMPLEMENT[b as usize]));
            self.reverse_qualities
                .extend(self.forward_qualities.iter().rev());
        }
        let read: &[u8] = match candidate.strand {
            Strand::Forward => &self.forward,
            Strand::Reverse => &self.reverse,
        };
        let total = index.total_length() as i64;
        let middle = (candidate.diagonal + length as i64 / 2).clamp(0, total - 1);
        let (contig, _) = index.locate(middle as u32);
        let contig_start = index.contig_offset(contig) as i64;
        let contig_end = contig_start + index.contig_length(contig) as i64;
        let sequence = index.global_sequence();
        let diagonal = candidate.diagonal;

        if diagonal >= contig_start && diagonal + length as i64 <= contig_end {
            let reference = &sequence[diagonal as usize..diagonal as usize + length];
            if let Some(score) = ungapped_score(read, reference, &self.options) {
                self.ops.clear();
                self.ops.push((Op::Match, length as u32));
                return Some(Scored {
                    score,
                    mapq: 0,
                    strand: candidate.strand,
                    contig,
                    ref_start: diagonal as u32,
                    ref_end: (diagonal + length as i64) as u32,
                    clip_start: 0,
                    clip_end: 0,
                });
            }
        }

        let band = self.options.band;
        let window_start = diagonal - band as i64;
        self.window.clear();
        self.window.extend((0..(length + 2 * band) as i64).map(|x| {
            let global = window_start + x;
            if global >= contig_start && global < contig_end {
                sequence[global as usize]
            } else {
                OUTSIDE
            }
        }));
        let result = banded_align(
            read,
            &self.window,
            band,
            &self.options,
            &mut self.dp,
            &mut self.columns,
            &mut self.ops,
        )?;
        Some(Scored {
            score: result.score,
            mapq: 0,
            strand: candidate.strand,
            contig,
            ref_start: (window_start + result.window_start as i64) as u32,
            ref_end: (window_start + result.window_end as i64) as u32,
            clip_start: result.clip_start,
            clip_end: result.clip_end,
        })
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
