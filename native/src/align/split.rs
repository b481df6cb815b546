//! Split reads: a read that aligns with a long soft clip whose clipped part
//! lies further along the same contig and strand spans a deletion longer
//! than any band. The two pieces are joined into one alignment with one
//! deletion, its breakpoint placed where the two pieces score best together
//! (leftmost among equals, i.e. left-aligned).

use super::banded::Op;
use super::mapper::Scored;
use super::seed::Candidate;
use super::{MapperOptions, ReferenceIndex};

/// Shortest soft clip worth looking for a second piece of, in bases.
const MIN_PIECE: usize = 20;

/// Score of read base `base` against reference base `reference`.
#[inline]
pub(super) fn base_score(base: u8, reference: u8, options: &MapperOptions) -> i32 {
    if base == b'N' || reference == b'N' {
        -options.ambiguous_penalty
    } else if base == reference {
        options.match_score
    } else {
        -options.mismatch_penalty
    }
}

/// Where a read leaves the first piece's diagonal and joins the second's:
/// `read[from..left_end]` lies on the first, `read[right_start..to]` on the
/// second, and the bases between them (often none) are inserted. Diagonals
/// are contig positions of read base 0, the second piece's past the contig's
/// end when it lies across the origin of a circular contig.
#[derive(Debug, Clone, Copy)]
struct Junction {
    left: i64,
    right: i64,
    left_end: usize,
    right_start: usize,
    /// Score of both pieces and the inserted bases.
    score: i32,
}

/// The junction of `read[from..to]` between diagonals `left` and `right`
/// (contig position of read base 0 in `sequence`) that scores most: leftmost
/// among equals, inserting bases only when that scores better.
fn best_junction(
    read: &[u8],
    sequence: &[u8],
    (from, to): (usize, usize),
    (left, right): (usize, usize),
    options: &MapperOptions,
) -> (usize, usize, i32) {
    // A flat price for inserted bases: the replaced sequence of a
    // substitution longer than the band is no gap the band could score.
    let insertion_cost = options.gap_open + options.gap_extend * options.band as i32;
    let mut right_scores = vec![0i32; to - from + 1];
    for i in (from..to).rev() {
        right_scores[i - from] =
            right_scores[i + 1 - from] + base_score(read[i], sequence[right + i], options);
    }
    let (mut left_score, mut best_left) = (0i32, (0i32, from));
    let mut best = (right_scores[0], from, from);
    for split in from..=to {
        if split > from {
            left_score += base_score(read[split - 1], sequence[left + split - 1], options);
            if left_score > best_left.0 {
                best_left = (left_score, split);
            }
        }
        let right_score = right_scores[split - from];
        if left_score + right_score > best.0 {
            best = (left_score + right_score, split, split);
        }
        if best_left.0 + right_score - insertion_cost > best.0 {
            best = (
                best_left.0 + right_score - insertion_cost,
                best_left.1,
                split,
            );
        }
    }
    (best.1, best.2, best.0)
}

/// The best of `joins` (ties: the shortest deletion) and the mapping
/// quality left when a runner-up scores close to it (the clipped bases lie
/// in a repeat).
fn choose(joins: impl Iterator<Item = Junction>, mapq: u8) -> Option<(Junction, u8)> {
    let (mut best, mut second): (Option<Junction>, i32) = (None, i32::MIN);
    let rank = |j: &Junction| (j.score, j.left - j.right);
    for join in joins {
        match best {
            Some(b) if rank(&join) <= rank(&b) => second = second.max(join.score),
            _ => {
                if let Some(b) = best {
                    second = second.max(b.score);
                }
                best = Some(join);
            }
        }
    }
    let best = best?;
    let margin = (best.score as i64 - second as i64).clamp(0, 10) as u8;
    Some((best, mapq.min(margin * 6)))
}

/// The runs of a junction: the first piece from `from`, the deletion, the
/// inserted bases if any, the second piece up to `to`.
fn junction_ops(junction: &Junction, from: usize, to: usize) -> Vec<(Op, u32)> {
    let inserted = junction.right_start - junction.left_end;
    let deleted = junction.right - junction.left + inserted as i64;
    let mut ops = vec![(Op::Match, (junction.left_end - from) as u32)];
    ops.push((Op::Deletion, deleted as u32));
    if inserted > 0 {
        ops.push((Op::Insertion, inserted as u32));
    }
    ops.push((Op::Match, (to - junction.right_start) as u32));
    ops
}

/// Joins `best`, the alignment of `read` made of the runs `ops`, with a
/// second piece voted for by one of `candidates` when its soft clip is long
/// and the clipped bases align further along the contig (a deletion, maybe
/// with inserted bases: a long substitution), or on a circular contig
/// anywhere: read on past the origin, a piece before the first one is
/// further along too (a deletion across the origin). Rewrites `ops` and
/// returns the joined alignment, whose end then lies past the contig's end,
/// or `None` (and `ops` untouched) when no join scores better.
pub(super) fn join_split_read(
    index: &ReferenceIndex,
    read: &[u8],
    best: &Scored,
    ops: &mut Vec<(Op, u32)>,
    candidates: &[Candidate],
    options: &MapperOptions,
) -> Option<Scored> {
    let length = read.len();
    let contig_start = index.contig_offset(best.contig) as i64;
    let contig_length = index.contig_length(best.contig) as i64;
    let circular = index.is_circular(best.contig);
    let sequence = index.contig_sequence_around(best.contig);
    let within = |diagonal: i64| diagonal >= 0 && diagonal + length as i64 <= contig_length;
    // The seeded diagonals of this strand within the contig, and once more
    // one turn further along when the contig is circular.
    let seeded: Vec<i64> = candidates
        .iter()
        .filter(|c| c.strand == best.strand)
        .map(|c| c.diagonal - contig_start)
        .filter(|&d| within(d))
        .flat_map(|d| [Some(d), circular.then_some(d + contig_length)])
        .flatten()
        .collect();
    let partners = |from: i64, to: i64| {
        seeded
            .iter()
            .copied()
            .filter(move |&d| d >= from && d <= to)
    };
    let (min, max) = (
        options.max_indel as i64 + 1,
        options.max_split_deletion as i64,
    );
    let run_score = |from: usize, to: usize, diagonal: usize| -> i32 {
        (from..to)
            .map(|i| base_score(read[i], sequence[diagonal + i], options))
            .sum()
    };
    let junction = |(from, to): (usize, usize), (left, right): (i64, i64)| {
        let (left_end, right_start, score) = best_junction(
            read,
            sequence,
            (from, to),
            (left as usize, right as usize),
            options,
        );
        Junction {
            left,
            right,
            left_end,
            right_start,
            score,
        }
    };
    let split_cost = options.gap_open + options.clip_penalty;
    let pieces_long = |j: &Junction, from: usize, to: usize| {
        j.left_end >= from + MIN_PIECE / 2 && to >= j.right_start + MIN_PIECE / 2
    };

    if best.clip_end >= MIN_PIECE && matches!(ops.last(), Some((Op::Match, _))) {
        let run = ops.last().unwrap().1 as usize;
        let (to, from) = (length - best.clip_end, length - best.clip_end - run);
        let left = best.ref_end as i64 - contig_start - to as i64;
        if !within(left) {
            return None;
        }
        let joins =
            partners(left + min, left + max).map(|right| junction((from, length), (left, right)));
        let (join, mapq) = choose(joins, best.mapq)?;
        let total = best.score + options.clip_penalty - run_score(from, to, left as usize)
            + join.score
            - split_cost;
        if total <= best.score || !pieces_long(&join, from, length) {
            return None;
        }
        ops.pop();
        ops.extend(junction_ops(&join, from, length));
        return Some(Scored {
            score: total,
            mapq,
            ref_end: (contig_start + join.right + length as i64) as u32,
            clip_end: 0,
            ..*best
        });
    }
    if best.clip_start >= MIN_PIECE && matches!(ops.first(), Some((Op::Match, _))) {
        let run = ops[0].1 as usize;
        let (from, to) = (best.clip_start, best.clip_start + run);
        let right = best.ref_start as i64 - contig_start - from as i64;
        if !within(right) {
            return None;
        }
        // Seen one turn on, the first piece may lie before the contig's end.
        let turns = if circular { 2 } else { 1 };
        let joins = (0..turns).flat_map(|turn| {
            let right = right + turn * contig_length;
            partners(right - max, right - min)
                .filter(|&left| left < contig_length)
                .map(move |left| junction((0, to), (left, right)))
        });
        let (join, mapq) = choose(joins, best.mapq)?;
        let total = best.score + options.clip_penalty - run_score(from, to, right as usize)
            + join.score
            - split_cost;
        if total <= best.score || !pieces_long(&join, 0, to) {
            return None;
        }
        ops.splice(0..1, junction_ops(&join, 0, to));
        return Some(Scored {
            score: total,
            mapq,
            ref_start: (contig_start + join.left) as u32,
            ref_end: best.ref_end + (join.right - right) as u32,
            clip_start: 0,
            ..*best
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::align::testing::{index_of, qualities};
    use crate::align::{reverse_complement, Mapper, MapperOptions, ReadEvent};
    use crate::caller::simulation::Rng;

    #[test]
    fn joins_the_two_pieces_of_a_read_across_a_large_deletion() {
        let reference = Rng::new(21).bases(30_000);
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        // 2,500 bases deleted after position 10,000: the read holds 90 bases
        // before the breakpoint and 60 after it.
        let mut read = reference[9_910..10_000].to_vec();
        read.extend_from_slice(&reference[12_500..12_560]);
        // Left-aligned: as far left as the deleted bases can shift.
        let mut position = 10_000;
        while reference[position - 1] == reference[position - 1 + 2_500] {
            position -= 1;
        }
        for bases in [read.clone(), reverse_complement(&read)] {
            let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
            assert_eq!((alignment.start, alignment.end), (9_910, 12_560));
            assert_eq!((alignment.clip_start, alignment.clip_end), (0, 0));
            assert_eq!(
                alignment.events,
                [ReadEvent::Deletion {
                    position: position as u32,
                    length: 2_500,
                    quality: 40
                }]
            );
        }
        // The larger piece after the breakpoint: joined all the same.
        let mut read = reference[9_970..10_000].to_vec();
        read.extend_from_slice(&reference[12_500..12_620]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (9_970, 12_620));
        assert_eq!(alignment.events.len(), 1);
    }

    #[test]
    fn reads_a_long_substitution_as_a_deletion_and_the_inserted_bases() {
        let reference = Rng::new(24).bases(30_000);
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        // 330 bases from 6,145 replaced by 66 others.
        let replacement = Rng::new(25).bases(66);
        let mut read = reference[6_000..6_145].to_vec();
        read.extend_from_slice(&replacement);
        read.extend_from_slice(&reference[6_475..6_600]);
        let alignment = mapper.map_read(&index, &read, &qualities(336)).unwrap();
        assert_eq!((alignment.start, alignment.end), (6_000, 6_600));
        match &alignment.events[..] {
            [ReadEvent::Deletion {
                position: 6_145,
                length: 330,
                ..
            }, ReadEvent::Insertion {
                position: 6_475,
                bases,
                ..
            }] => assert_eq!(bases, &replacement),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn joins_the_nearer_of_two_equal_second_pieces_with_mapping_quality_0() {
        let mut reference = Rng::new(26).bases(30_000);
        let copy = reference[12_500..12_600].to_vec();
        reference[20_000..20_100].copy_from_slice(&copy);
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let mut read = reference[9_910..10_000].to_vec();
        read.extend_from_slice(&reference[12_500..12_560]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.end, alignment.mapq), (12_560, 0));
    }

    #[test]
    fn joins_pieces_in_reverse_order_on_a_circular_contig_as_a_deletion_across_the_origin() {
        let reference = Rng::new(23).bases(12_000);
        let mut index = index_of(&[("plasmid", &reference)]);
        index.set_circular(0);
        let mut mapper = Mapper::new(MapperOptions::default());
        // Bases 10,000..12,000 and 0..3,000 deleted: the read holds 90 bases
        // before the breakpoint and 60 from 3,000 on.
        let mut read = reference[9_910..10_000].to_vec();
        read.extend_from_slice(&reference[3_000..3_060]);
        let around = [reference.as_slice(), reference.as_slice()].concat();
        let mut position = 10_000;
        while around[position - 1] == around[position - 1 + 5_000] {
            position -= 1;
        }
        for bases in [read.clone(), reverse_complement(&read)] {
            let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
            // As a span, the read ends at the contig's end.
            assert_eq!((alignment.start, alignment.end), (9_910, 12_000));
            assert_eq!((alignment.clip_start, alignment.clip_end), (0, 0));
            assert_eq!(
                alignment.events,
                [ReadEvent::Deletion {
                    position: position as u32,
                    length: 5_000,
                    quality: 40
                }]
            );
        }
        // The larger piece after the breakpoint, a mismatch in it placed
        // one turn back.
        let mut read = reference[9_970..10_000].to_vec();
        read.extend_from_slice(&reference[3_000..3_120]);
        read[100] = if read[100] == b'A' { b'C' } else { b'A' };
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.start, 9_970);
        match &alignment.events[..] {
            [ReadEvent::Deletion { length: 5_000, .. }, ReadEvent::Mismatch {
                position: 3_070, ..
            }] => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn leaves_a_clipped_read_whose_clipped_part_maps_elsewhere_as_it_is() {
        let reference = Rng::new(22).bases(30_000);
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        // The clipped part lies upstream (not a deletion on a linear contig).
        let mut read = reference[20_000..20_100].to_vec();
        read.extend_from_slice(&reference[5_000..5_050]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (20_000, 20_100));
        assert_eq!(alignment.clip_end, 50);
        assert!(alignment.events.is_empty());
    }
}
