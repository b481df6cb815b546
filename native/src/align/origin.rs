//! Reads across the origin of a circular contig: an alignment soft-clipped
//! where the contig ends (or starts) goes on, base for base, from its other
//! end.

use super::banded::Op;
use super::mapper::Scored;
use super::split::base_score;
use super::{MapperOptions, ReferenceIndex};

/// Extends `best`, the alignment of `read` made of the runs `ops`, across
/// the origin of its circular contig when it is clipped right at the
/// contig's end or start and the clipped bases score better read on from
/// the other end (without gaps): rewrites `ops` and returns the extended
/// alignment, which ends past the contig's end, or `None` (and `ops`
/// untouched).
pub(super) fn extend_across_origin(
    index: &ReferenceIndex,
    read: &[u8],
    best: &Scored,
    ops: &mut [(Op, u32)],
    options: &MapperOptions,
) -> Option<Scored> {
    if !index.is_circular(best.contig) {
        return None;
    }
    let offset = index.contig_offset(best.contig);
    let length = index.contig_length(best.contig);
    let sequence = index.contig_sequence_around(best.contig);
    let gain = |from: usize, to: usize, diagonal: usize| -> i32 {
        let aligned: i32 = (from..to)
            .map(|i| base_score(read[i], sequence[diagonal + i], options))
            .sum();
        aligned + options.clip_penalty
    };
    let last = ops.len().checked_sub(1)?;
    if best.clip_end > 0 && best.ref_end - offset == length && ops[last].0 == Op::Match {
        let to = read.len() - best.clip_end;
        let gained = gain(to, read.len(), (length as usize) - to);
        if gained <= 0 {
            return None;
        }
        ops[last].1 += best.clip_end as u32;
        return Some(Scored {
            score: best.score + gained,
            ref_end: best.ref_end + best.clip_end as u32,
            clip_end: 0,
            ..*best
        });
    }
    if best.clip_start > 0 && best.ref_start == offset && ops[0].0 == Op::Match {
        // One turn on, the clipped bases end where the contig does.
        let diagonal = length as usize - best.clip_start;
        let gained = gain(0, best.clip_start, diagonal);
        if gained <= 0 {
            return None;
        }
        ops[0].1 += best.clip_start as u32;
        return Some(Scored {
            score: best.score + gained,
            ref_start: offset + diagonal as u32,
            ref_end: best.ref_end + length,
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
    fn maps_a_read_across_the_origin_of_a_circular_contig_in_one_piece() {
        let reference = Rng::new(31).bases(12_000);
        let mut index = index_of(&[("plasmid", &reference)]);
        index.set_circular(0);
        let mut mapper = Mapper::new(MapperOptions::default());
        // 50 bases before the origin and 100 after it, or the other way
        // round; a mismatch past the origin is placed one turn back.
        for before in [50, 100] {
            let mut read = reference[12_000 - before..].to_vec();
            read.extend_from_slice(&reference[..150 - before]);
            read[140] = if read[140] == b'A' { b'C' } else { b'A' };
            for bases in [read.clone(), reverse_complement(&read)] {
                let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
                assert_eq!(
                    (alignment.start, alignment.end),
                    (12_000 - before as u32, 12_000)
                );
                assert_eq!((alignment.clip_start, alignment.clip_end), (0, 0));
                match &alignment.events[..] {
                    [ReadEvent::Mismatch { position, .. }] => {
                        assert_eq!(*position, 140 - before as u32)
                    }
                    other => panic!("{other:?}"),
                }
            }
        }
    }

    #[test]
    fn leaves_a_read_clipped_at_the_end_of_a_linear_contig() {
        let reference = Rng::new(31).bases(12_000);
        let index = index_of(&[("chromosome", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let mut read = reference[11_900..].to_vec();
        read.extend_from_slice(&reference[..50]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (11_900, 12_000));
        assert_eq!(alignment.clip_end, 50);
    }
}
