//! What mapping produces: per-read placements and flat event lists.

/// Strand of the reference a read matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strand {
    /// The read as given matches the reference.
    Forward,
    /// The read's reverse complement matches the reference.
    Reverse,
}

impl Strand {
    /// `'+'` or `'-'`.
    pub fn symbol(self) -> char {
        match self {
            Strand::Forward => '+',
            Strand::Reverse => '-',
        }
    }
}

/// Kind of an [`AlignmentEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// One read base differs from the reference base.
    Mismatch,
    /// Read bases absent from the reference.
    Insertion,
    /// Reference bases absent from the read.
    Deletion,
}

/// A difference between a read and the reference, in reference orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlignmentEvent {
    /// What differs.
    pub kind: EventKind,
    /// 0-based contig position: the mismatched base, the first deleted base,
    /// or the base the insertion precedes. Not yet left-normalised: the
    /// pileup does that.
    pub position: u32,
    /// Mismatch: 1; insertion: inserted bases; deletion: deleted bases.
    pub length: u32,
    /// Mismatch: the read's base (ASCII); otherwise 0.
    pub base: u8,
    /// Phred base quality: the base's (mismatch), the lowest inserted base's
    /// (insertion), the lower of the two flanking bases' (deletion).
    pub quality: u8,
    /// Insertion: start of its bases in [`BatchAlignments::inserted_bases`].
    pub inserted_start: u32,
}

/// Where one read landed (or that it did not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPlacement {
    /// Whether the read mapped; the other fields are meaningless otherwise.
    pub mapped: bool,
    /// Contig index in the [`ReferenceIndex`](super::ReferenceIndex).
    pub contig: u32,
    /// 0-based position of the first aligned reference base.
    pub start: u32,
    /// 0-based position after the last aligned reference base.
    pub end: u32,
    /// Strand the read matches.
    pub strand: Strand,
    /// Mapping quality, Phred-like: 60 for a unique placement, 0 when another
    /// placement scores as well.
    pub mapq: u8,
    /// Alignment score (by default: match +1, mismatch −4, gap −(6 + length),
    /// clip −5 per clipped end).
    pub score: i32,
    /// Soft-clipped bases before the alignment, in reference orientation.
    pub clip_start: u16,
    /// Soft-clipped bases after the alignment, in reference orientation.
    pub clip_end: u16,
    /// This read's events are `events[events_start..events_end]`.
    pub events_start: u32,
    /// See [`ReadPlacement::events_start`].
    pub events_end: u32,
    /// Bases aligned past the end of a circular contig: the read goes on over
    /// `0..past_origin` of it (0 elsewhere), while `end` stops at its end.
    pub past_origin: u32,
}

impl ReadPlacement {
    /// The placement of a read that did not map.
    pub(super) const UNMAPPED: ReadPlacement = ReadPlacement {
        mapped: false,
        contig: 0,
        start: 0,
        end: 0,
        strand: Strand::Forward,
        mapq: 0,
        score: 0,
        clip_start: 0,
        clip_end: 0,
        events_start: 0,
        events_end: 0,
        past_origin: 0,
    };
}

/// A read's difference from the reference, owned (see [`ReadAlignment`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEvent {
    /// A substituted base at `position`.
    Mismatch {
        /// 0-based contig position.
        position: u32,
        /// The read's base (ASCII).
        base: u8,
        /// Its Phred quality.
        quality: u8,
    },
    /// `bases` inserted before `position`.
    Insertion {
        /// 0-based contig position of the base after the insertion.
        position: u32,
        /// Inserted bases (ASCII, reference orientation).
        bases: Vec<u8>,
        /// Lowest Phred quality of the inserted bases.
        quality: u8,
    },
    /// `length` reference bases from `position` missing from the read.
    Deletion {
        /// 0-based contig position of the first deleted base.
        position: u32,
        /// Number of deleted bases.
        length: u32,
        /// Lower Phred quality of the two flanking read bases.
        quality: u8,
    },
}

/// One mapped read with its events, owned: convenient for tests and callers
/// that handle few reads. Batches use the flat [`BatchAlignments`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadAlignment {
    /// Contig index.
    pub contig: u32,
    /// 0-based position of the first aligned reference base.
    pub start: u32,
    /// 0-based position after the last aligned reference base.
    pub end: u32,
    /// Strand.
    pub strand: Strand,
    /// Mapping quality.
    pub mapq: u8,
    /// Alignment score.
    pub score: i32,
    /// Soft-clipped bases before the alignment (reference orientation).
    pub clip_start: u16,
    /// Soft-clipped bases after the alignment (reference orientation).
    pub clip_end: u16,
    /// Differences from the reference, in reference order.
    pub events: Vec<ReadEvent>,
}

/// Counts over one batch, for the per-batch `Analysis` record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Reads in the batch.
    pub reads: u32,
    /// Reads that mapped.
    pub mapped: u32,
    /// Mapped reads with at least one event.
    pub reads_with_events: u32,
    /// Mismatch events.
    pub mismatches: u32,
    /// Insertion events.
    pub insertions: u32,
    /// Deletion events.
    pub deletions: u32,
}

/// Alignments of one batch: a placement per read and flat event lists.
#[derive(Debug, Clone, Default)]
pub struct BatchAlignments {
    /// One entry per read, in batch order.
    pub reads: Vec<ReadPlacement>,
    /// Events of all reads; see [`ReadPlacement::events_start`].
    pub events: Vec<AlignmentEvent>,
    /// Bases of all insertions; see [`AlignmentEvent::inserted_start`].
    pub inserted_bases: Vec<u8>,
}

impl BatchAlignments {
    /// Empties the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.reads.clear();
        self.events.clear();
        self.inserted_bases.clear();
    }

    /// Events of read `index`.
    pub fn events_of(&self, index: usize) -> &[AlignmentEvent] {
        let read = &self.reads[index];
        &self.events[read.events_start as usize..read.events_end as usize]
    }

    /// Inserted bases of an insertion event (empty for other kinds).
    pub fn inserted(&self, event: &AlignmentEvent) -> &[u8] {
        if event.kind != EventKind::Insertion {
            return &[];
        }
        let start = event.inserted_start as usize;
        &self.inserted_bases[start..start + event.length as usize]
    }

    /// Read `index` as an owned [`ReadAlignment`], `None` if unmapped.
    pub fn alignment(&self, index: usize) -> Option<ReadAlignment> {
        let read = &self.reads[index];
        if !read.mapped {
            return None;
        }
        let events = self
            .events_of(index)
            .iter()
            .map(|event| match event.kind {
                EventKind::Mismatch => ReadEvent::Mismatch {
                    position: event.position,
                    base: event.base,
                    quality: event.quality,
                },
                EventKind::Insertion => ReadEvent::Insertion {
                    position: event.position,
                    bases: self.inserted(event).to_vec(),
                    quality: event.quality,
                },
                EventKind::Deletion => ReadEvent::Deletion {
                    position: event.position,
                    length: event.length,
                    quality: event.quality,
                },
            })
            .collect();
        Some(ReadAlignment {
            contig: read.contig,
            start: read.start,
            end: read.end,
            strand: read.strand,
            mapq: read.mapq,
            score: read.score,
            clip_start: read.clip_start,
            clip_end: read.clip_end,
            events,
        })
    }

    /// Counts of reads, mapped reads and events.
    pub fn summary(&self) -> BatchSummary {
        let mut summary = BatchSummary {
            reads: self.reads.len() as u32,
            ..BatchSummary::default()
        };
        for read in self.reads.iter().filter(|r| r.mapped) {
            summary.mapped += 1;
            if read.events_end > read.events_start {
                summary.reads_with_events += 1;
            }
        }
        for event in &self.events {
            match event.kind {
                EventKind::Mismatch => summary.mismatches += 1,
                EventKind::Insertion => summary.insertions += 1,
                EventKind::Deletion => summary.deletions += 1,
            }
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind, position: u32, length: u32, inserted_start: u32) -> AlignmentEvent {
        AlignmentEvent {
            kind,
            position,
            length,
            base: if kind == EventKind::Mismatch { b'T' } else { 0 },
            quality: 30,
            inserted_start,
        }
    }

    /// Two mapped reads (one with an insertion and a deletion, one clean)
    /// around an unmapped one.
    fn alignments() -> BatchAlignments {
        let placement = |events_start, events_end| ReadPlacement {
            mapped: true,
            start: 100,
            end: 250,
            mapq: 60,
            score: 130,
            events_start,
            events_end,
            ..ReadPlacement::UNMAPPED
        };
        BatchAlignments {
            reads: vec![placement(0, 3), ReadPlacement::UNMAPPED, placement(3, 3)],
            events: vec![
                event(EventKind::Mismatch, 120, 1, 0),
                event(EventKind::Insertion, 130, 2, 0),
                event(EventKind::Deletion, 140, 3, 0),
            ],
            inserted_bases: b"GA".to_vec(),
        }
    }

    #[test]
    fn owns_a_read_alignment_with_its_inserted_bases() {
        let alignments = alignments();
        assert_eq!(alignments.inserted(&alignments.events[1]), b"GA");
        assert!(alignments.inserted(&alignments.events[0]).is_empty());
        let read = alignments.alignment(0).unwrap();
        assert_eq!(
            (read.start, read.end, read.strand),
            (100, 250, Strand::Forward)
        );
        assert_eq!(
            read.events,
            [
                ReadEvent::Mismatch {
                    position: 120,
                    base: b'T',
                    quality: 30
                },
                ReadEvent::Insertion {
                    position: 130,
                    bases: b"GA".to_vec(),
                    quality: 30
                },
                ReadEvent::Deletion {
                    position: 140,
                    length: 3,
                    quality: 30
                },
            ]
        );
        assert!(alignments.alignment(1).is_none());
        assert!(alignments.alignment(2).unwrap().events.is_empty());
    }

    #[test]
    fn counts_reads_and_events_of_a_batch_and_clears_them() {
        let mut alignments = alignments();
        assert_eq!(
            alignments.summary(),
            BatchSummary {
                reads: 3,
                mapped: 2,
                reads_with_events: 1,
                mismatches: 1,
                insertions: 1,
                deletions: 1,
            }
        );
        alignments.clear();
        assert_eq!(alignments.summary(), BatchSummary::default());
    }
}
