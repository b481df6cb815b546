//! Paired reads placed as pairs. Both mates are first placed on their own;
//! then the pair decides: mates at a distance and orientation the library
//! (the [`InsertSizeModel`]) explains form a proper pair and vouch for each
//! other's mapping quality, and a mate that placed poorly, ambiguously or not
//! at all is searched for (rescued) in the window its confident partner
//! implies. The pair's choice weighs both alignment scores, the template's
//! likelihood and a penalty for leaving the mates unpaired, as BWA does.

use super::banded::NEG;
use super::insert_size::{template_length, InsertSize, InsertSizeModel};
use super::mapper::{Mapper, Scored};
use super::seed::{Candidate, SeedPlan};
use super::{BatchAlignments, ReadBatch, ReadPlacement, ReferenceIndex, Strand};

/// Score units a pair loses when its mates are not placed as a proper pair
/// (BWA's unpaired penalty, `-U 17`).
const UNPAIRED_PENALTY: i32 = 17;
/// Mapping quality per score unit the chosen pair leads the next by (as a
/// single read's runner-up grades it).
const MAPQ_PER_SCORE: i32 = 6;
/// A mate must map at least this well to anchor its partner's rescue.
const ANCHOR_MAPQ: u8 = 20;
/// Widest half-width of a rescue's alignment band: a wild library cannot
/// turn one rescue into an alignment against much of a genome.
const WIDEST_RESCUE_BAND: usize = 1_000;

impl Mapper {
    /// Maps a paired batch (reads `2k` and `2k + 1` are mates), replacing the
    /// contents of `out`: each mate on its own, then each pair as a pair with
    /// the library `model` (which learns from this batch first). Returns the
    /// reads placed in proper pairs. Until the model has seen enough
    /// confident pairs, the mates stay as placed on their own.
    pub fn map_pairs(
        &mut self,
        index: &ReferenceIndex,
        batch: &ReadBatch<'_>,
        model: &mut InsertSizeModel,
        out: &mut BatchAlignments,
    ) -> u32 {
        let mut single = std::mem::take(&mut self.unpaired);
        self.map_batch(index, batch, &mut single);
        model.learn(&single.reads);
        out.clear();
        let mut proper = 0;
        match model.estimate() {
            Some(insert) => {
                for first in (0..single.reads.len() / 2).map(|k| 2 * k) {
                    proper += self.place_pair(index, batch, &single, first, insert, out);
                }
                if single.reads.len() % 2 == 1 {
                    copy_read(&single, single.reads.len() - 1, None, out);
                }
            }
            None => std::mem::swap(&mut single, out),
        }
        self.unpaired = single;
        proper
    }

    /// Appends mates `first` and `first + 1` of `single` to `out` as a
    /// pair; returns how many of them are in a proper pair (0 or 2).
    fn place_pair(
        &mut self,
        index: &ReferenceIndex,
        batch: &ReadBatch<'_>,
        single: &BatchAlignments,
        first: usize,
        insert: InsertSize,
        out: &mut BatchAlignments,
    ) -> u32 {
        let (a, b) = (single.reads[first], single.reads[first + 1]);
        if template_length(&a, &b).is_some_and(|t| insert.is_proper(t)) {
            // The pair leads any other placement by both mates' leads (the
            // mates moved together) or one mate's and the unpaired penalty
            // (one moved): by the sum of their mapping qualities at least.
            let mapq = a.mapq.saturating_add(b.mapq).min(60);
            copy_read(single, first, Some(mapq), out);
            copy_read(single, first + 1, Some(mapq), out);
            return 2;
        }
        let (anchor, mate) = if a.mapq >= b.mapq {
            (first, first + 1)
        } else {
            (first + 1, first)
        };
        let (anchor_placement, mate_placement) = (single.reads[anchor], single.reads[mate]);
        let rescuable = anchor_placement.mapped
            && anchor_placement.mapq >= ANCHOR_MAPQ
            && (!mate_placement.mapped || mate_placement.mapq < anchor_placement.mapq);
        let rescued = rescuable
            .then(|| {
                let (bases, qualities) = batch.read(mate);
                self.rescue(index, bases, qualities, &anchor_placement, insert)
            })
            .flatten();
        let Some((mut scored, tail, template)) = rescued else {
            copy_read(single, first, None, out);
            copy_read(single, first + 1, None, out);
            return 0;
        };
        let paired = scored.score - insert.penalty(template);
        let unpaired = if mate_placement.mapped {
            mate_placement.score - UNPAIRED_PENALTY
        } else {
            NEG
        };
        if paired <= unpaired {
            copy_read(single, first, None, out);
            copy_read(single, first + 1, None, out);
            return 0;
        }
        let lead = (paired - unpaired)
            .saturating_mul(MAPQ_PER_SCORE)
            .clamp(0, 60) as u8;
        scored.mapq = lead.min(anchor_placement.mapq);
        if anchor < mate {
            copy_read(single, anchor, None, out);
            self.record(index, Some(scored), tail, out);
        } else {
            self.record(index, Some(scored), tail, out);
            copy_read(single, anchor, None, out);
        }
        2
    }

    /// Aligns the mate (`bases`, `qualities`) in the window where the
    /// library puts it given `anchor`: returns its alignment (operations in
    /// `self.best_ops`, the read prepared in the mapper), the bases trimmed
    /// from its tail and the pair's template length; `None` when it does not
    /// align there well enough.
    fn rescue(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
        anchor: &ReadPlacement,
        insert: InsertSize,
    ) -> Option<(Scored, usize, u32)> {
        let tail = self.prepare(bases, qualities);
        let length = self.forward.len() as i64;
        if length == 0 {
            return None;
        }
        let (low, high) = insert.proper_range();
        let offset = index.contig_offset(anchor.contig as usize) as i64;
        // The diagonals (global starts of the oriented mate) a proper
        // template allows: forward–reverse, facing each other.
        let (strand, first, last) = match anchor.strand {
            Strand::Forward => {
                let start = offset + anchor.start as i64 - length;
                (Strand::Reverse, start + low as i64, start + high as i64)
            }
            Strand::Reverse => {
                let end = offset + anchor.end as i64;
                (Strand::Forward, end - high as i64, end - low as i64)
            }
        };
        let min_score = self.min_score(length as usize);
        let fits = |s: &Scored| s.contig == anchor.contig as usize && s.score >= min_score;
        // A repeated mate's seeds hit the copy in the window too: aligning
        // there is the usual, cheap alignment. Only a mate without such a
        // seed is aligned across the whole window.
        let seeded = self
            .seeded_candidate(index, strand, first, last)
            .and_then(|candidate| self.align_candidate(index, candidate, self.options.band))
            .filter(fits);
        let scored = match seeded {
            Some(scored) => scored,
            None => {
                let band =
                    (((last - first) / 2) as usize + self.options.band).min(WIDEST_RESCUE_BAND);
                let candidate = Candidate {
                    strand,
                    diagonal: (first + last) / 2,
                    votes: 0,
                };
                self.align_candidate(index, candidate, band).filter(fits)?
            }
        };
        let placed = ReadPlacement {
            mapped: true,
            contig: anchor.contig,
            start: scored.ref_start - offset as u32,
            end: scored.ref_end - offset as u32,
            strand,
            ..ReadPlacement::UNMAPPED
        };
        let template = template_length(anchor, &placed)?;
        std::mem::swap(&mut self.ops, &mut self.best_ops);
        Some((scored, tail, template))
    }
}

impl Mapper {
    /// The best-voted candidate of the prepared read's long seeds on `strand`
    /// with a diagonal in `first..=last`.
    fn seeded_candidate(
        &mut self,
        index: &ReferenceIndex,
        strand: Strand,
        first: i64,
        last: i64,
    ) -> Option<Candidate> {
        let plan = SeedPlan::new(
            self.forward.len(),
            index.kmer_length(),
            self.options.seeds_per_read,
        )?;
        self.seeds.clear();
        for s in 0..plan.seeds {
            self.seeds.seed(
                index.table(),
                &self.forward,
                plan.offset(s),
                self.options.max_seed_occurrences,
            );
        }
        self.seeds.vote(self.options.band);
        self.seeds
            .candidates()
            .iter()
            .filter(|c| c.strand == strand && (first..=last).contains(&c.diagonal))
            .max_by_key(|c| c.votes)
            .copied()
    }
}

/// Appends read `index` of `from` (placement and events) to `out`, with its
/// mapping quality replaced by `mapq` when given.
fn copy_read(from: &BatchAlignments, index: usize, mapq: Option<u8>, out: &mut BatchAlignments) {
    let mut placement = from.reads[index];
    let events_start = out.events.len() as u32;
    for event in from.events_of(index) {
        let mut event = *event;
        let inserted = from.inserted(&event);
        if !inserted.is_empty() {
            event.inserted_start = out.inserted_bases.len() as u32;
            out.inserted_bases.extend_from_slice(inserted);
        }
        out.events.push(event);
    }
    placement.events_start = events_start;
    placement.events_end = out.events.len() as u32;
    if let Some(mapq) = mapq {
        placement.mapq = mapq;
    }
    out.reads.push(placement);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::reverse_complement;
    use crate::align::testing::{index_of, qualities};
    use crate::caller::simulation::Rng;

    /// A 60 kbp reference holding a 1 kbp repeat twice (at 20 and 40 kbp).
    fn repeated_reference() -> Vec<u8> {
        let mut rng = Rng::new(41);
        let repeat = rng.bases(1_000);
        let mut reference = rng.bases(20_000);
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(19_000));
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(19_000));
        reference
    }

    /// Forward–reverse pairs of 100 bp mates with templates of 300–350 bp,
    /// the `k`-th starting at `starts[k]`, as a batch's buffers.
    fn pairs_at(reference: &[u8], starts: &[usize]) -> (Vec<u8>, Vec<u32>) {
        let mut bases = Vec::new();
        let mut offsets = vec![0];
        for (k, &start) in starts.iter().enumerate() {
            let end = start + 300 + k % 51;
            bases.extend_from_slice(&reference[start..start + 100]);
            offsets.push(bases.len() as u32);
            bases.extend(reverse_complement(&reference[end - 100..end]));
            offsets.push(bases.len() as u32);
        }
        (bases, offsets)
    }

    fn map_pairs(index: &ReferenceIndex, bases: &[u8], offsets: &[u32]) -> (BatchAlignments, u32) {
        let quals = qualities(bases.len());
        let batch = ReadBatch::new(bases, &quals, offsets).unwrap();
        let mut mapper = Mapper::default();
        let mut model = InsertSizeModel::default();
        let mut out = BatchAlignments::default();
        let proper = mapper.map_pairs(index, &batch, &mut model, &mut out);
        (out, proper)
    }

    #[test]
    fn lifts_the_mapping_quality_of_a_repeated_mate_its_unique_partner_places() {
        let reference = repeated_reference();
        let index = index_of(&[("chr1", &reference)]);
        // 100 unique pairs teach the library; the last two pairs' second
        // mates lie wholly in the first and the second copy of the repeat,
        // the same bases: on its own at least one lands in the wrong copy.
        let starts: Vec<usize> = (0..100).map(|k| 1_000 + k * 150).collect();
        let (mut bases, mut offsets) = pairs_at(&reference, &starts);
        for copy in [20_000, 40_000] {
            let (pair, _) = pairs_at(&reference, &[copy - 100]);
            bases.extend_from_slice(&pair);
            let last = *offsets.last().unwrap();
            offsets.extend([last + 100, last + 200]);
        }
        let (out, proper) = map_pairs(&index, &bases, &offsets);
        assert_eq!(proper, 204);
        for (read, copy) in [(201, 20_000), (203, 40_000)] {
            let mate = out.reads[read];
            assert!(mate.mapped);
            assert!(mate.start >= copy && mate.end <= copy + 1_000, "{mate:?}");
            assert_eq!(mate.mapq, 60);
        }
        assert_eq!(out.events_of(201), out.events_of(203));
        // On its own the same read is a coin toss between the copies.
        let (read, quals) = (&bases[offsets[201] as usize..], qualities(100));
        let alone = Mapper::default().map_read(&index, read, &quals).unwrap();
        assert_eq!(alone.mapq, 0);
    }

    #[test]
    fn rescues_a_mate_in_the_window_its_partner_implies() {
        let reference = repeated_reference();
        let index = index_of(&[("chr1", &reference)]);
        let starts: Vec<usize> = (0..101).map(|k| 1_000 + k * 150).collect();
        let (mut bases, offsets) = pairs_at(&reference, &starts);
        // The last second mate changed every 10 bases: no seed holds, the
        // alignment still scores above the minimum.
        let last = offsets[201] as usize;
        for i in (last + 6..last + 100).step_by(10) {
            bases[i] = if bases[i] == b'A' { b'C' } else { b'A' };
        }
        let quals = qualities(100);
        assert!(Mapper::default()
            .map_read(&index, &bases[last..], &quals)
            .is_none());
        let (out, proper) = map_pairs(&index, &bases, &offsets);
        assert_eq!(proper, 202);
        let (mate, end) = (out.reads[201], starts[100] + 300 + 100 % 51);
        assert_eq!((mate.start, mate.end), (end as u32 - 100, end as u32));
        assert_eq!(mate.strand, Strand::Reverse);
        assert_eq!(out.events_of(201).len(), 10);
    }

    #[test]
    fn keeps_mates_on_their_own_until_the_library_is_known() {
        let reference = repeated_reference();
        let index = index_of(&[("chr1", &reference)]);
        let (bases, offsets) = pairs_at(&reference, &[1_000, 5_000, 40_000 - 100]);
        let (out, proper) = map_pairs(&index, &bases, &offsets);
        assert_eq!(proper, 0);
        assert_eq!(out.reads.len(), 6);
        assert_eq!(out.reads[5].mapq, 0);
    }
}
