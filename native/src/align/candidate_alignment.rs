//! Aligning the read on one candidate: the ungapped fast path, else the
//! banded alignment, widened when the seeds beyond a long indel vote for a
//! diagonal outside the band.

use super::banded::{banded_align, Op};
use super::bases::{COMPLEMENT, OUTSIDE};
use super::mapper::{Mapper, Scored};
use super::seed::Candidate;
use super::ungapped::ungapped_score;
use super::{ReferenceIndex, Strand};

/// Long reads may drift one diagonal per this many bases.
const LONG_READ_DRIFT: usize = 16;

impl Mapper {
    /// Aligns the read on `candidate` and, when that clips it or fails while
    /// another candidate on the strand lies within `max_indel` diagonals
    /// (the seeds beyond an indel longer than the band), again with the band
    /// widened to reach it; the better alignment's operations are in
    /// `self.ops`.
    pub(super) fn align_widening(
        &mut self,
        index: &ReferenceIndex,
        candidate: Candidate,
    ) -> Option<Scored> {
        let band = self.options.band;
        let narrow = self.align_candidate(index, candidate, band);
        if narrow.is_some_and(|n| n.clip_start == 0 && n.clip_end == 0) {
            return narrow;
        }
        // A long read's indels add up: its seeds drift further apart.
        let reach_limit = self
            .options
            .max_indel
            .max(self.forward.len() / LONG_READ_DRIFT);
        let reach = self
            .seeds
            .candidates()
            .iter()
            .filter(|c| c.strand == candidate.strand)
            .map(|c| c.diagonal.abs_diff(candidate.diagonal) as usize)
            .filter(|&d| d > band && d <= reach_limit)
            .max();
        let Some(reach) = reach else {
            return narrow;
        };
        std::mem::swap(&mut self.ops, &mut self.narrow_ops);
        let wide = self.align_candidate(index, candidate, band + reach);
        match (narrow, wide) {
            (Some(n), Some(w)) if w.score <= n.score => {
                std::mem::swap(&mut self.ops, &mut self.narrow_ops);
                Some(n)
            }
            (Some(n), None) => {
                std::mem::swap(&mut self.ops, &mut self.narrow_ops);
                Some(n)
            }
            (_, wide) => wide,
        }
    }

    /// Aligns the read (oriented for `candidate.strand`) around the
    /// candidate's diagonal, within the contig holding the read's middle, in
    /// a band of half-width `band`. Operations go to `self.ops`.
    pub(super) fn align_candidate(
        &mut self,
        index: &ReferenceIndex,
        candidate: Candidate,
        band: usize,
    ) -> Option<Scored> {
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

        let widened = band > self.options.band;
        if !widened && diagonal >= contig_start && diagonal + length as i64 <= contig_end {
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
    use crate::align::testing::{index_of, qualities, setup};
    use crate::align::{reverse_complement, Mapper, MapperOptions, ReadEvent};
    use crate::caller::simulation::Rng;

    #[test]
    fn aligns_a_long_read_whose_indels_drift_it_off_the_band_end_to_end() {
        let reference = Rng::new(34).bases(50_000);
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        // 3 kbp with every 60th base missing: 50 deletions, 50 diagonals.
        let read: Vec<u8> = (10_000..13_000)
            .filter(|i| i % 60 != 59)
            .map(|i| reference[i])
            .collect();
        let alignment = mapper
            .map_read(&index, &read, &qualities(read.len()))
            .unwrap();
        assert_eq!((alignment.start, alignment.end), (10_000, 13_000));
        assert_eq!((alignment.clip_start, alignment.clip_end), (0, 0));
        assert_eq!(alignment.mapq, 60);
        let deletions = alignment
            .events
            .iter()
            .filter(|e| matches!(e, ReadEvent::Deletion { length: 1, .. }))
            .count();
        assert_eq!((deletions, alignment.events.len()), (50, 50));
    }

    #[test]
    fn finds_indels_longer_than_the_band() {
        let (reference, index, mut mapper) = setup(33);
        // 40 bases deleted after position 6,075, in the middle of the read.
        let mut read = reference[6_000..6_075].to_vec();
        read.extend_from_slice(&reference[6_115..6_190]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (6_000, 6_190));
        assert!(matches!(
            alignment.events[..],
            [ReadEvent::Deletion { length: 40, .. }]
        ));
        // 30 bases inserted after position 6,080.
        let inserted = reverse_complement(&reference[15_000..15_030]);
        let mut read = reference[6_000..6_080].to_vec();
        read.extend_from_slice(&inserted);
        read.extend_from_slice(&reference[6_080..6_150]);
        let alignment = mapper
            .map_read(&index, &reverse_complement(&read), &qualities(180))
            .unwrap();
        assert_eq!((alignment.start, alignment.end), (6_000, 6_150));
        match &alignment.events[..] {
            [ReadEvent::Insertion { bases, .. }] => assert_eq!(bases.len(), 30),
            other => panic!("{other:?}"),
        }
    }
}
