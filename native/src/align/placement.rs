//! Placing a read: long seeds (a first round, then all), short seeds for
//! short or much changed reads, and the choice among the voted candidates
//! with the mapping quality their scores imply.

use super::banded::NEG;
use super::bases::COMPLEMENT;
use super::mapper::{Mapper, Scored, SHORT_READS};
use super::seed::SeedPlan;
use super::ungapped::for_each_difference;
use super::{ReferenceIndex, Strand};

/// Whether two alignments place the read identically (strand and ends).
fn same_place(a: &Scored, b: &Scored) -> bool {
    (a.strand, a.ref_start, a.ref_end) == (b.strand, b.ref_start, b.ref_end)
}

/// Mismatches of `read` laid on `sequence` at `diagonal` without gaps
/// (`u32::MAX` when it does not fit).
fn mismatches_on(read: &[u8], sequence: &[u8], diagonal: i64) -> u32 {
    let Some(reference) = usize::try_from(diagonal)
        .ok()
        .and_then(|d| sequence.get(d..d + read.len()))
    else {
        return u32::MAX;
    };
    let mut mismatches = 0;
    for_each_difference(read, reference, |_| {
        mismatches += 1;
        true
    });
    mismatches
}

impl Mapper {
    /// Places the read with the index's long seeds: a first round settles
    /// most reads, all seeds the rest.
    pub(super) fn place_with_long_seeds(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let k = index.kmer_length();
        let length = self.forward.len();
        let plan = SeedPlan::new(length, k, self.options.seeds_per_read)?;
        let first_round = plan.first_round();
        let (band, max_occurrences) = (self.options.band, self.options.max_seed_occurrences);
        let table = index.table();
        self.seeds.clear();
        for &s in first_round {
            self.seeds
                .seed(table, &self.forward, plan.offset(s), max_occurrences);
        }
        self.seeds.vote(band);
        let candidates = self.seeds.candidates();
        if candidates.len() == 1 && candidates[0].votes >= 2 {
            let candidate = candidates[0];
            if let Some(scored) = self.align_candidate(index, candidate, band) {
                if scored.score >= self.min_score(length) {
                    std::mem::swap(&mut self.ops, &mut self.best_ops);
                    return Some(Scored { mapq: 60, ..scored });
                }
            }
        }
        if plan.seeds > first_round.len() {
            for s in (0..plan.seeds).filter(|s| !first_round.contains(s)) {
                self.seeds
                    .seed(table, &self.forward, plan.offset(s), max_occurrences);
            }
            self.seeds.vote(band);
        }
        self.best_of_candidates(index, 2)
    }

    /// Places the read with every short k-mer of it and keeps the better of
    /// that and `long` (the long seeds' placement, operations in
    /// `self.best_ops`); two different placements grade each other's
    /// mapping quality.
    pub(super) fn place_with_short_seeds(
        &mut self,
        index: &ReferenceIndex,
        long: Option<Scored>,
    ) -> Option<Scored> {
        let length = self.forward.len();
        let Some(table) = index.short_table().filter(|t| t.kmer_length() <= length) else {
            return long;
        };
        std::mem::swap(&mut self.best_ops, &mut self.long_seed_ops);
        let max_occurrences = self.options.max_seed_occurrences;
        let offsets = 0..=length - table.kmer_length();
        self.seeds.clear();
        for offset in offsets.clone() {
            self.seeds
                .seed(table, &self.forward, offset, max_occurrences);
        }
        self.seeds.vote(self.options.band);
        // A short read's paralog may keep few exact seeds: try it anyway.
        let mut short = self.best_of_candidates(index, u32::MAX);
        if short.is_none() && length < SHORT_READS {
            // Errors every few bases leave no exact short seed, but one with
            // a single substitution (3 errors in 35 bases always do). Most
            // such hits are chance: rank them by mismatches on their diagonal.
            self.seeds.clear();
            for offset in offsets {
                self.seeds
                    .seed_neighbours(table, &self.forward, offset, max_occurrences);
            }
            self.seeds.vote(self.options.band);
            let (forward, sequence) = (&self.forward, index.global_sequence());
            let reverse: Vec<u8> = forward
                .iter()
                .rev()
                .map(|&b| COMPLEMENT[b as usize])
                .collect();
            self.seeds.rank_by(|c| {
                let read = match c.strand {
                    Strand::Forward => forward,
                    Strand::Reverse => &reverse,
                };
                mismatches_on(read, sequence, c.diagonal)
            });
            short = self.best_of_candidates(index, u32::MAX);
        }
        let Some(long) = long else {
            return short;
        };
        let Some(short) = short else {
            std::mem::swap(&mut self.best_ops, &mut self.long_seed_ops);
            return Some(long);
        };
        let same = same_place(&long, &short);
        let (best, other) = if same || long.score >= short.score {
            std::mem::swap(&mut self.best_ops, &mut self.long_seed_ops);
            (long, short)
        } else {
            (short, long)
        };
        let mapq = if same {
            long.mapq.min(short.mapq)
        } else {
            best.mapq
                .min(((best.score - other.score) * 6).clamp(0, 60) as u8)
        };
        Some(Scored { mapq, ..best })
    }

    /// Aligns the leading candidates (up to three, with at least
    /// `1 / vote_ratio` of the top votes) and keeps the best; the runner-up's
    /// score grades the mapping quality.
    pub(super) fn best_of_candidates(
        &mut self,
        index: &ReferenceIndex,
        vote_ratio: u32,
    ) -> Option<Scored> {
        let top_votes = self.seeds.candidates().first()?.votes;
        let tried = self
            .seeds
            .candidates()
            .iter()
            .take(3)
            .filter(|c| c.votes.saturating_mul(vote_ratio) >= top_votes)
            .count();
        let mut best: Option<Scored> = None;
        let mut second = NEG;
        for i in 0..tried {
            let candidate = self.seeds.candidates()[i];
            let Some(scored) = self.align_widening(index, candidate) else {
                continue;
            };
            match best {
                // Candidates a long read's drift split apart align as one.
                Some(b) if same_place(&b, &scored) => {
                    if scored.score > b.score {
                        best = Some(scored);
                        std::mem::swap(&mut self.ops, &mut self.best_ops);
                    }
                }
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
        let min_score = self.min_score(self.forward.len());
        let best = best.filter(|b| b.score >= min_score)?;
        let mapq = if second == NEG {
            60
        } else {
            ((best.score - second) * 6).clamp(0, 60) as u8
        };
        Some(Scored { mapq, ..best })
    }
}

#[cfg(test)]
mod tests {
    use crate::align::testing::{index_of, qualities, setup};
    use crate::align::{reverse_complement, Mapper, MapperOptions, ReadEvent};
    use crate::caller::simulation::Rng;

    /// `read` with the bases at `positions` changed.
    fn changed(read: &[u8], positions: &[usize]) -> Vec<u8> {
        let mut read = read.to_vec();
        for &i in positions {
            read[i] = if read[i] == b'A' { b'C' } else { b'A' };
        }
        read
    }

    #[test]
    fn maps_a_35_bp_read_with_three_mismatches_that_no_long_seed_holds() {
        let (reference, index, mut mapper) = setup(31);
        // Every 19-mer of the read holds at least two of the mismatches.
        let read = changed(&reference[7_000..7_035], &[8, 17, 26]);
        for bases in [read.clone(), reverse_complement(&read)] {
            let alignment = mapper.map_read(&index, &bases, &qualities(35)).unwrap();
            assert_eq!((alignment.start, alignment.end), (7_000, 7_035));
            assert_eq!(alignment.mapq, 60);
            let positions: Vec<u32> = alignment
                .events
                .iter()
                .map(|e| match e {
                    ReadEvent::Mismatch { position, .. } => *position,
                    other => panic!("{other:?}"),
                })
                .collect();
            assert_eq!(positions, [7_008, 7_017, 7_026]);
        }
        // Four mismatches in 35 bases are too many.
        let read = changed(&reference[7_000..7_035], &[4, 12, 20, 28]);
        assert!(mapper.map_read(&index, &read, &qualities(35)).is_none());
    }

    #[test]
    fn gives_a_short_read_in_a_repeat_a_low_mapping_quality() {
        let mut rng = Rng::new(32);
        let repeat = rng.bases(300);
        let mut reference = rng.bases(5_000);
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(5_000));
        // The second copy differs from the first at one base.
        let mut copy = repeat.clone();
        copy[150] = if copy[150] == b'G' { b'T' } else { b'G' };
        reference.extend_from_slice(&copy);
        reference.extend(rng.bases(5_000));
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        // Two errors in the read keep it closer to the first copy by one
        // mismatch only: placed there, with a mapping quality that says so.
        let read = changed(&repeat[130..165], &[5, 30]);
        let alignment = mapper.map_read(&index, &read, &qualities(35)).unwrap();
        assert_eq!(alignment.start, 5_130);
        assert!(alignment.mapq <= 30, "{}", alignment.mapq);
    }
}
