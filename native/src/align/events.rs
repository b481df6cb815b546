//! Turns an alignment's runs of operations into the read's placement and its
//! events (mismatches, insertions, deletions) in contig coordinates.

use super::banded::Op;
use super::mapper::Scored;
use super::ungapped::for_each_difference;
use super::{AlignmentEvent, BatchAlignments, EventKind, ReadPlacement, ReferenceIndex};

/// Appends the events of the alignment `scored` of `read` (oriented for
/// its strand, with Phred `qualities`), made of the runs `ops`, to `out`
/// and returns the read's placement. On a circular contig an alignment may
/// run past the contig's end: its events there are placed one turn back (a
/// deletion keeps its start and length, so it may span the origin) and its
/// placement ends at the contig's end, the bases past it counted in
/// [`ReadPlacement::past_origin`].
pub(super) fn emit(
    index: &ReferenceIndex,
    scored: &Scored,
    read: &[u8],
    qualities: &[u8],
    ops: &[(Op, u32)],
    out: &mut BatchAlignments,
) -> ReadPlacement {
    let offset = index.contig_offset(scored.contig);
    let length = index.contig_length(scored.contig);
    let sequence = index.contig_sequence_around(scored.contig);
    let turned = |position: usize| {
        let position = position as u32;
        if index.is_circular(scored.contig) && position >= length {
            position - length
        } else {
            position
        }
    };
    let events_start = out.events.len() as u32;
    let (mut r, mut g) = (scored.clip_start, (scored.ref_start - offset) as usize);
    for &(op, count) in ops {
        let count = count as usize;
        match op {
            Op::Match => {
                let (read_run, reference_run) = (&read[r..r + count], &sequence[g..g + count]);
                for_each_difference(read_run, reference_run, |i| {
                    let (base, reference_base) = (read_run[i], reference_run[i]);
                    if base != b'N' && reference_base != b'N' {
                        out.events.push(AlignmentEvent {
                            kind: EventKind::Mismatch,
                            position: turned(g + i),
                            length: 1,
                            base,
                            quality: qualities[r + i],
                            inserted_start: 0,
                        });
                    }
                    true
                });
                r += count;
                g += count;
            }
            Op::Insertion => {
                let bases = &read[r..r + count];
                // An insertion of unknown bases is no evidence of any allele.
                if !bases.contains(&b'N') {
                    out.events.push(AlignmentEvent {
                        kind: EventKind::Insertion,
                        position: turned(g),
                        length: count as u32,
                        base: 0,
                        quality: qualities[r..r + count].iter().copied().min().unwrap_or(0),
                        inserted_start: out.inserted_bases.len() as u32,
                    });
                    out.inserted_bases.extend_from_slice(bases);
                }
                r += count;
            }
            Op::Deletion => {
                out.events.push(AlignmentEvent {
                    kind: EventKind::Deletion,
                    position: turned(g),
                    length: count as u32,
                    base: 0,
                    quality: qualities[r - 1].min(qualities[r]),
                    inserted_start: 0,
                });
                g += count;
            }
        }
    }
    let end = scored.ref_end - offset;
    ReadPlacement {
        mapped: true,
        contig: scored.contig as u32,
        start: scored.ref_start - offset,
        end: end.min(length),
        strand: scored.strand,
        mapq: scored.mapq,
        score: scored.score,
        clip_start: scored.clip_start.min(u16::MAX as usize) as u16,
        clip_end: scored.clip_end.min(u16::MAX as usize) as u16,
        events_start,
        events_end: out.events.len() as u32,
        past_origin: if index.is_circular(scored.contig) {
            end.saturating_sub(length)
        } else {
            0
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::align::testing::{qualities, setup};
    use crate::align::{reverse_complement, ReadEvent, Strand};

    #[test]
    fn reports_mismatches_in_reference_orientation() {
        let (reference, index, mut mapper) = setup(3);
        let mut read = reference[8_000..8_150].to_vec();
        let alternate = if read[40] == b'A' { b'C' } else { b'A' };
        read[40] = alternate;
        let mut quals = qualities(150);
        quals[40] = b'5'; // Phred 20

        let forward = mapper.map_read(&index, &read, &quals).unwrap();
        let expected = vec![ReadEvent::Mismatch {
            position: 8_040,
            base: alternate,
            quality: 20,
        }];
        assert_eq!(forward.events, expected);

        let reversed_quals: Vec<u8> = quals.iter().rev().copied().collect();
        let reverse = mapper
            .map_read(&index, &reverse_complement(&read), &reversed_quals)
            .unwrap();
        assert_eq!(reverse.strand, Strand::Reverse);
        assert_eq!(reverse.events, expected);
    }

    #[test]
    fn maps_reads_with_n_without_reporting_them() {
        let (reference, index, mut mapper) = setup(7);
        let mut read = reference[9_000..9_150].to_vec();
        for i in [0, 1, 30, 31, 32, 77, 149] {
            read[i] = b'N';
        }
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (9_000, 9_150));
        assert!(alignment.events.is_empty(), "{:?}", alignment.events);
        // Lower case is accepted too.
        let lower = reference[9_000..9_150].to_ascii_lowercase();
        assert_eq!(
            mapper
                .map_read(&index, &lower, &qualities(150))
                .unwrap()
                .start,
            9_000
        );
        // A read of N only does not map.
        assert!(mapper
            .map_read(&index, &[b'N'; 150], &qualities(150))
            .is_none());
    }
}
