//! Banded affine-gap alignment of a read against the reference window around
//! its voted diagonal: global in the middle, soft-clipping at both ends.
//!
//! Parts: `scoring` (substitution scores by read base), `fill` (the DP over
//! the band), `traceback` (the best end back to its start, as runs of
//! operations).

mod fill;
mod scoring;
mod traceback;

use super::MapperOptions;

/// Alignment operation of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    /// A read base against a reference base (equal or not).
    Match,
    /// A read base absent from the reference.
    Insertion,
    /// A reference base absent from the read.
    Deletion,
}

/// Reusable buffers of the banded alignment.
#[derive(Debug, Clone, Default)]
pub(super) struct DpScratch {
    read_codes: Vec<u8>,
    score_rows: Vec<i32>,
    h_prev: Vec<i32>,
    h_cur: Vec<i32>,
    f_prev: Vec<i32>,
    f_cur: Vec<i32>,
    e_row: Vec<i32>,
    traceback: Vec<u8>,
}

/// "Minus infinity" that survives adding a few penalties without overflow.
pub(super) const NEG: i32 = i32::MIN / 4;

/// Outcome of [`banded_align`], in read and window coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) struct DpResult {
    pub(super) score: i32,
    pub(super) clip_start: usize,
    pub(super) clip_end: usize,
    /// Window index of the first aligned reference base.
    pub(super) window_start: usize,
    /// Window index after the last aligned reference base.
    pub(super) window_end: usize,
}

/// Traceback cell: bits 0–1 say where H came from (0 diagonal, 1 diagonal
/// after a start clip, 2 deletion, 3 insertion); bit 2 is set when the
/// deletion extends one, bit 3 when the insertion does.
const FROM_DIAGONAL: u8 = 0;
const FROM_START: u8 = 1;
const FROM_DELETION: u8 = 2;
const FROM_INSERTION: u8 = 3;

/// Banded affine-gap alignment of `read` against `window`, which holds the
/// reference from `band` bases before the read's diagonal to `band` bases
/// after its end. The whole read is aligned except for soft clips at either
/// end, each costing `clip_penalty` (so it is local at the ends, global in
/// between). Operations are written to `ops` as runs.
pub(super) fn banded_align(
    read: &[u8],
    window: &[u8],
    band: usize,
    options: &MapperOptions,
    dp: &mut DpScratch,
    columns: &mut Vec<Op>,
    ops: &mut Vec<(Op, u32)>,
) -> Option<DpResult> {
    let length = read.len();
    let width = 2 * band + 1;
    debug_assert_eq!(window.len(), length + 2 * band);
    scoring::score_rows(read, window, options, dp);
    let (score, end_i, end_b) = fill::fill(length, window.len(), width, options, dp);
    if score <= NEG / 2 {
        return None;
    }
    let (clip_start, window_start) =
        traceback::trace(&dp.traceback, width, (end_i, end_b), columns, ops);
    Some(DpResult {
        score,
        clip_start,
        clip_end: length - end_i,
        window_start,
        window_end: end_i + end_b,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::bases::OUTSIDE;
    use crate::align::reverse_complement;
    use crate::align::testing::{qualities, setup};
    use crate::align::{ReadEvent, Strand};
    use crate::caller::simulation::Rng;

    /// Aligns `read` against `window` with the default options.
    fn align(read: &[u8], window: &[u8], band: usize) -> (DpResult, Vec<(Op, u32)>) {
        let (mut dp, mut columns, mut ops) = (DpScratch::default(), Vec::new(), Vec::new());
        let options = MapperOptions::default();
        let result = banded_align(
            read,
            window,
            band,
            &options,
            &mut dp,
            &mut columns,
            &mut ops,
        );
        (result.expect("an alignment"), ops)
    }

    #[test]
    fn aligns_a_deletion_inside_the_band_with_affine_cost() {
        let reference = Rng::new(13).bases(300);
        let band = 16;
        let mut read = reference[100..140].to_vec();
        read.extend_from_slice(&reference[143..203]);
        let (result, ops) = align(&read, &reference[100 - band..200 + band], band);
        // 100 matching read bases, one gap of 3: 100 - (6 + 3).
        assert_eq!(result.score, 91);
        assert_eq!((result.clip_start, result.clip_end), (0, 0));
        assert_eq!((result.window_start, result.window_end), (band, band + 103));
        let kinds: Vec<Op> = ops.iter().map(|&(op, _)| op).collect();
        assert_eq!(kinds, [Op::Match, Op::Deletion, Op::Match]);
        assert_eq!(ops[1].1, 3);
    }

    #[test]
    fn clips_read_bases_that_face_the_outside_of_the_contig() {
        let reference = Rng::new(14).bases(200);
        let band = 16;
        // The read's first 10 bases lie before the contig's start.
        let read = [Rng::new(15).bases(10), reference[..90].to_vec()].concat();
        let mut window = vec![OUTSIDE; band + 10];
        window.extend_from_slice(&reference[..90 + band]);
        let (result, ops) = align(&read, &window, band);
        assert_eq!(result.clip_start, 10);
        assert_eq!(result.window_start, band + 10);
        assert_eq!(ops, [(Op::Match, 90)]);
        assert_eq!(result.score, 90 - 5);
    }

    /// A read from `start` with `inserted` bases placed after `at` read bases.
    fn read_with_insertion(reference: &[u8], start: usize, at: usize, inserted: &[u8]) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(inserted);
        read.extend_from_slice(&reference[start + at..start + 150 - inserted.len()]);
        read
    }

    /// A read from `start` missing `length` reference bases after `at` bases.
    fn read_with_deletion(reference: &[u8], start: usize, at: usize, length: usize) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(&reference[start + at + length..start + 150 + length]);
        read
    }

    #[test]
    fn finds_insertions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(4);
        // Inserted bases that cannot be mistaken for the flanking reference.
        for (at, inserted) in [
            (75, b"GATTACA".as_slice()),
            (14, b"TT"),
            (136, b"CCG"),
            (141, b"TT"),
            (9, b"A"),
        ] {
            let start = 3_000;
            let mut bases = inserted.to_vec();
            if reference[start + at - 1] == bases[bases.len() - 1] {
                bases = bases
                    .iter()
                    .map(|&b| if b == b'A' { b'C' } else { b'A' })
                    .collect();
            }
            let read = read_with_insertion(&reference, start, at, &bases);
            for (strand, bases_in) in [
                (Strand::Forward, read.clone()),
                (Strand::Reverse, reverse_complement(&read)),
            ] {
                let alignment = mapper.map_read(&index, &bases_in, &qualities(150)).unwrap();
                assert_eq!(alignment.strand, strand);
                assert_eq!(alignment.start, start as u32, "insertion after {at} bases");
                let insertions: Vec<_> = alignment
                    .events
                    .iter()
                    .filter(|e| matches!(e, ReadEvent::Insertion { .. }))
                    .collect();
                assert_eq!(
                    insertions.len(),
                    1,
                    "insertion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Insertion {
                    position,
                    bases: found,
                    ..
                } = insertions[0]
                else {
                    unreachable!()
                };
                // The aligner may place an indel anywhere in its repeat; the
                // pileup normalises. Compare normalised forms.
                let mut expected = bases.clone();
                let expected_position =
                    crate::pileup::left_shift_insertion(&reference, start + at, &mut expected);
                let mut found = found.clone();
                let found_position =
                    crate::pileup::left_shift_insertion(&reference, *position as usize, &mut found);
                assert_eq!((found_position, found), (expected_position, expected));
                assert_eq!(alignment.events.len(), 1, "{:?}", alignment.events);
            }
        }
    }

    #[test]
    fn finds_deletions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(5);
        for (at, length) in [(70, 10), (15, 3), (133, 4), (100, 1), (8, 2), (141, 1)] {
            let start = 11_000;
            let read = read_with_deletion(&reference, start, at, length);
            for bases in [read.clone(), reverse_complement(&read)] {
                let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
                assert_eq!(alignment.start, start as u32);
                assert_eq!(alignment.end, (start + 150 + length) as u32);
                assert_eq!(
                    alignment.events.len(),
                    1,
                    "deletion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Deletion {
                    position,
                    length: found,
                    ..
                } = alignment.events[0]
                else {
                    panic!("expected a deletion, got {:?}", alignment.events);
                };
                assert_eq!(found as usize, length);
                let normalised =
                    crate::pileup::left_shift_deletion(&reference, position as usize, length);
                let expected = crate::pileup::left_shift_deletion(&reference, start + at, length);
                assert_eq!(normalised, expected);
            }
        }
    }

    #[test]
    fn soft_clips_an_end_that_does_not_belong() {
        let (reference, index, mut mapper) = setup(6);
        let mut read = reference[2_000..2_130].to_vec();
        read.extend_from_slice(&Rng::new(99).bases(20));
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.start, 2_000);
        assert!(alignment.clip_end >= 15, "clip_end {}", alignment.clip_end);
        assert!(alignment.end <= 2_135);
        assert!(alignment.events.len() <= 2, "{:?}", alignment.events);
    }
}
