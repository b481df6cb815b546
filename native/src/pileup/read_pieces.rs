//! The stretches of the reference one read covers, as its depth counts them:
//! its aligned span less the bases of its long deletions (a split read's two
//! pieces, as BWA writes them as two records), and on a circular contig the
//! part aligned past the origin, from the contig's start.

use super::evidence_rules::SPLIT_DELETION;
use crate::align::{AlignmentEvent, EventKind, ReadPlacement};

/// One stretch of a read, in contig coordinates (`start..end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    pub start: u32,
    pub end: u32,
    /// The read goes on before `start` elsewhere (across a long deletion or
    /// the origin): `start` is no read end, so no read-end margin applies.
    pub continues_before: bool,
    /// The read goes on after `end` elsewhere: see `continues_before`.
    pub continues_after: bool,
}

/// A read's span in one unbroken frame: on a circular contig of `length`
/// bases, positions past the origin count on from `length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct UnrolledSpan {
    pub start: u32,
    pub end: u32,
    length: u32,
}

impl UnrolledSpan {
    /// The span of `read` on a contig of `length` bases.
    pub fn of(read: &ReadPlacement, length: u32) -> Self {
        UnrolledSpan {
            start: read.start,
            end: read.end + read.past_origin,
            length,
        }
    }

    /// Contig position `position` of this read in the span's frame: past the
    /// origin when the read crosses it and the position lies before its start.
    pub fn unroll(&self, position: u32) -> u32 {
        if self.end > self.length && position < self.start {
            position + self.length
        } else {
            position
        }
    }
}

/// Writes the stretches `span` covers into `out`: the span less each
/// deletion of [`SPLIT_DELETION`] bases or more among `events` (the read's,
/// in reference order), cut at the origin of a circular contig.
pub(super) fn read_pieces(span: &UnrolledSpan, events: &[AlignmentEvent], out: &mut Vec<Piece>) {
    out.clear();
    let (mut from, mut continues) = (span.start, false);
    let long_deletions = events
        .iter()
        .filter(|event| event.kind == EventKind::Deletion && event.length >= SPLIT_DELETION);
    for deletion in long_deletions {
        let at = span.unroll(deletion.position);
        if at <= from || at >= span.end {
            continue;
        }
        push(span, from, at, continues, true, out);
        from = (at + deletion.length).min(span.end);
        continues = true;
    }
    push(span, from, span.end, continues, false, out);
}

/// Appends `start..end` of the unrolled frame as contig stretches: one, or
/// two when it crosses the origin.
fn push(
    span: &UnrolledSpan,
    start: u32,
    end: u32,
    before: bool,
    after: bool,
    out: &mut Vec<Piece>,
) {
    let length = span.length;
    let piece = |start, end, continues_before, continues_after| Piece {
        start,
        end,
        continues_before,
        continues_after,
    };
    if start >= end {
        return;
    }
    if end <= length {
        out.push(piece(start, end, before, after));
    } else if start >= length {
        out.push(piece(start - length, end - length, before, after));
    } else {
        out.push(piece(start, length, before, true));
        out.push(piece(0, end - length, true, after));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deletion(position: u32, length: u32) -> AlignmentEvent {
        AlignmentEvent {
            kind: EventKind::Deletion,
            position,
            length,
            base: 0,
            quality: 30,
            inserted_start: 0,
        }
    }

    fn span(start: u32, end: u32, past_origin: u32, length: u32) -> UnrolledSpan {
        let read = ReadPlacement {
            mapped: true,
            contig: 0,
            start,
            end,
            strand: crate::align::Strand::Forward,
            mapq: 60,
            score: 100,
            clip_start: 0,
            clip_end: 0,
            events_start: 0,
            events_end: 0,
            past_origin,
        };
        UnrolledSpan::of(&read, length)
    }

    fn pieces(span: &UnrolledSpan, events: &[AlignmentEvent]) -> Vec<(u32, u32, bool, bool)> {
        let mut out = Vec::new();
        read_pieces(span, events, &mut out);
        out.iter()
            .map(|p| (p.start, p.end, p.continues_before, p.continues_after))
            .collect()
    }

    #[test]
    fn a_read_covers_its_span_and_its_short_deletions() {
        let read = span(100, 250, 0, 10_000);
        assert_eq!(pieces(&read, &[]), [(100, 250, false, false)]);
        let short = deletion(150, SPLIT_DELETION - 1);
        assert_eq!(pieces(&read, &[short]), [(100, 250, false, false)]);
    }

    #[test]
    fn a_split_read_covers_its_two_pieces_not_the_deleted_bases() {
        // 90 bases, 2,500 deleted, 60 bases.
        let read = span(1_000, 3_650, 0, 10_000);
        assert_eq!(
            pieces(&read, &[deletion(1_090, 2_500)]),
            [(1_000, 1_090, false, true), (3_590, 3_650, true, false)]
        );
    }

    #[test]
    fn a_read_across_the_origin_covers_the_contig_start_too() {
        // 100 bases before the end of a 10,000-base circle, 50 after it.
        let read = span(9_900, 10_000, 50, 10_000);
        assert_eq!(
            pieces(&read, &[]),
            [(9_900, 10_000, false, true), (0, 50, true, false)]
        );
        // Past the origin, events are placed one turn back.
        assert_eq!(read.unroll(20), 10_020);
        assert_eq!(read.unroll(9_950), 9_950);
    }

    #[test]
    fn a_deletion_across_the_origin_leaves_the_pieces_either_side_of_it() {
        // tmv-iseq's: 107 bases before 10,204 of a 10,411-base plasmid, then
        // 7,344 deleted (through the origin), then 60 bases from 7,137.
        let read = span(10_097, 10_411, 7_197, 10_411);
        assert_eq!(
            pieces(&read, &[deletion(10_204, 7_344)]),
            [(10_097, 10_204, false, true), (7_137, 7_197, true, false)]
        );
    }

    /// Maps `reads` against `reference` (circular or not) and piles them up.
    fn piled(reference: &[u8], circular: bool, reads: &[Vec<u8>]) -> crate::pileup::Pileup {
        use crate::align::testing::{index_of, qualities};
        use crate::align::{BatchAlignments, Mapper, MapperOptions, ReadBatch};
        use crate::pileup::{Evidence, EvidenceOptions, Pileup};
        let mut index = index_of(&[("chr1", reference)]);
        if circular {
            index.set_circular(0);
        }
        let mut mapper = Mapper::new(MapperOptions::default());
        let bases = reads.concat();
        let offsets: Vec<u32> = std::iter::once(0)
            .chain(reads.iter().scan(0, |end, read| {
                *end += read.len() as u32;
                Some(*end)
            }))
            .collect();
        let qualities = qualities(bases.len());
        let mut alignments = BatchAlignments::default();
        let batch = ReadBatch::new(&bases, &qualities, &offsets).unwrap();
        mapper.map_batch(&index, &batch, &mut alignments);
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        pileup
    }

    #[test]
    fn the_bases_a_split_read_skips_get_no_depth_from_it_and_its_breakpoint_counts_it() {
        let reference = crate::caller::simulation::Rng::new(21).bases(30_000);
        // 90 bases, 2,500 deleted after 10,000, 60 bases; and a read over the
        // reference there (10,020..10,170), which still holds the bases.
        let mut split = reference[9_910..10_000].to_vec();
        split.extend_from_slice(&reference[12_500..12_560]);
        let pileup = piled(
            &reference,
            false,
            &[split, reference[10_020..10_170].to_vec()],
        );
        let coverage = pileup.coverage(9_900..12_600);
        assert_eq!(coverage.depth(9_950), 1);
        assert_eq!(coverage.depth(11_000), 0);
        assert_eq!(coverage.depth(10_100), 1, "only the reference read");
        assert_eq!(coverage.depth(12_530), 1);
        // Its breakpoint lies inside the split read, as a short deletion's
        // lies inside its read (the anchor is left-aligned at or before 9,999).
        let anchor = (9_960..10_000).find(|&a| coverage.indel_depth(a) == 1);
        assert!(anchor.is_some());
        assert_eq!(pileup.used_reads(), 2);
    }

    #[test]
    fn a_read_across_the_origin_of_a_circular_contig_gives_depth_on_both_sides() {
        let reference = crate::caller::simulation::Rng::new(22).bases(20_000);
        let mut read = reference[19_900..].to_vec();
        read.extend_from_slice(&reference[..50]);
        let pileup = piled(&reference, true, &[read]);
        assert_eq!(pileup.coverage(19_950..19_951).depth(19_950), 1);
        assert_eq!(pileup.coverage(0..40).depth(25), 1);
        // No read-end margin at the origin: the read goes on across it.
        assert_eq!(pileup.coverage(19_990..20_000).depth(19_999), 1);
        assert_eq!(pileup.coverage(0..10).depth(0), 1);
        assert_eq!(pileup.used_reads(), 1);
    }
}
