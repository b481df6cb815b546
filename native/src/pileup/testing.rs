//! Shared fixtures of the pileup's unit tests.

use crate::align::testing::index_of;
use crate::align::{
    AlignmentEvent, BatchAlignments, EventKind, ReadPlacement, ReferenceIndex, Strand,
};
use crate::caller::simulation::Rng;

/// Alignments of reads that show the same deletion at different places of
/// a homopolymer, plus an SNV and an insertion.
pub(super) fn alignments() -> (ReferenceIndex, BatchAlignments) {
    let mut rng = Rng::new(21);
    let mut sequence = rng.bases(100);
    sequence[40..46].copy_from_slice(b"CTTTTG");
    let other = rng.bases(50);
    let index = index_of(&[("x", &other), ("chr1", &sequence)]);
    let read = |start, end, events: std::ops::Range<u32>| ReadPlacement {
        mapped: true,
        contig: 1,
        start,
        end,
        strand: Strand::Forward,
        mapq: 60,
        score: 100,
        clip_start: 0,
        clip_end: 0,
        events_start: events.start,
        events_end: events.end,
        past_origin: 0,
    };
    let event = |kind, position, length, base, inserted_start| AlignmentEvent {
        kind,
        position,
        length,
        base,
        quality: 30,
        inserted_start,
    };
    let alternate = if sequence[20] == b'A' { b'C' } else { b'A' };
    let alignments = BatchAlignments {
        reads: vec![
            read(0, 90, 0..2),
            read(5, 95, 2..3),
            read(10, 99, 3..4),
            ReadPlacement {
                mapq: 0,
                ..read(10, 99, 4..5)
            },
            // Ends too close to its deletion and its mismatch for them
            // to count (an indel needs six bases either side in so short
            // a span).
            read(35, 50, 5..7),
        ],
        events: vec![
            event(EventKind::Deletion, 44, 1, 0, 0),
            event(EventKind::Mismatch, 20, 1, alternate, 0),
            event(EventKind::Deletion, 42, 1, 0, 0),
            event(EventKind::Insertion, 44, 2, 0, 0),
            event(EventKind::Mismatch, 20, 1, alternate, 0),
            event(EventKind::Deletion, 44, 1, 0, 0),
            event(EventKind::Mismatch, 48, 1, b'A', 0),
        ],
        inserted_bases: b"TT".to_vec(),
    };
    (index, alignments)
}
