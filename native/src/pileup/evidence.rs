//! Evidence: what a batch's alignments say about each position and allele,
//! as plain arrays in global coordinates, left-normalised.

use super::evidence_rules::{indel_margin, weighed, SNV_MARGIN};
use super::read_pieces::{read_pieces, UnrolledSpan};
use super::strand::{observation_flags, span_flags, CONTINUES_AFTER, CONTINUES_BEFORE};
use super::{normalise_indel, EvidenceOptions, PileupError};
use crate::align::{AlignmentEvent, BatchAlignments, EventKind, ReferenceIndex};

/// Evidence from one or more batches in struct-of-arrays form: everything a
/// [`Pileup`] needs, nothing it does not, in global reference coordinates.
/// Built where reads are mapped, added where the pileup lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Reads seen (mapped or not).
    pub reads: u64,
    /// Reference span of each read that counts: start (global, inclusive).
    /// A read has several when it covers pieces apart (across a long
    /// deletion, or the origin of a circular contig), flagged as going on.
    pub span_starts: Vec<u32>,
    /// End of each span (global, exclusive).
    pub span_ends: Vec<u32>,
    /// Flags of each span: its strand ([`super::REVERSE_STRAND`]), whether
    /// it was placed by a coin toss ([`super::COIN_TOSS`]) and whether its
    /// read goes on past either end ([`super::CONTINUES_BEFORE`],
    /// [`super::CONTINUES_AFTER`]). Each
    /// `*_flags` array holds one entry per span or observation, or none at
    /// all (evidence made by hand): then every read counts as forward and
    /// every observation as mid-read.
    pub span_flags: Vec<u8>,
    /// SNV observations: global position.
    pub snv_positions: Vec<u32>,
    /// SNV observations: read base (`A`, `C`, `G` or `T`).
    pub snv_bases: Vec<u8>,
    /// SNV observations: Phred quality (see [`EvidenceOptions`]).
    pub snv_qualities: Vec<u8>,
    /// SNV observations: the read's mapping quality.
    pub snv_mapping_qualities: Vec<u8>,
    /// SNV observations: strand and place in the read
    /// ([`super::REVERSE_STRAND`], [`super::NEAR_READ_END`]).
    pub snv_flags: Vec<u8>,
    /// Indel observations: [`IndelAllele::position`] (left-normalised).
    pub indel_positions: Vec<u32>,
    /// Indel observations: inserted length if positive, minus the deleted
    /// length if negative. Inserted bases follow one another in
    /// [`Evidence::indel_inserted`].
    pub indel_lengths: Vec<i32>,
    /// Indel observations: reference bases an insertion replaces (0 for a
    /// plain insertion or a deletion).
    pub indel_replaced: Vec<u32>,
    /// Indel observations: Phred quality.
    pub indel_qualities: Vec<u8>,
    /// Indel observations: the read's mapping quality.
    pub indel_mapping_qualities: Vec<u8>,
    /// Indel observations: strand and place in the read (of the anchor).
    pub indel_flags: Vec<u8>,
    /// Bases of all insertions, in observation order.
    pub indel_inserted: Vec<u8>,
}

impl Evidence {
    /// Empty evidence.
    pub fn new() -> Self {
        Evidence::default()
    }

    /// Empties the arrays, keeping their capacity.
    pub fn clear(&mut self) {
        self.reads = 0;
        self.span_starts.clear();
        self.span_ends.clear();
        self.span_flags.clear();
        self.snv_positions.clear();
        self.snv_bases.clear();
        self.snv_qualities.clear();
        self.snv_mapping_qualities.clear();
        self.snv_flags.clear();
        self.indel_positions.clear();
        self.indel_lengths.clear();
        self.indel_replaced.clear();
        self.indel_qualities.clear();
        self.indel_mapping_qualities.clear();
        self.indel_flags.clear();
        self.indel_inserted.clear();
    }

    /// Appends the evidence of a batch's alignments (made against `index`),
    /// left-normalising indels.
    pub fn add_alignments(
        &mut self,
        index: &ReferenceIndex,
        alignments: &BatchAlignments,
        options: &EvidenceOptions,
    ) {
        self.reads += alignments.reads.len() as u64;
        let mut inserted = Vec::new();
        let mut pieces = Vec::new();
        for (i, read) in alignments.reads.iter().enumerate() {
            let contig = read.contig as usize;
            if !read.mapped
                || read.mapq < options.min_mapping_quality
                || contig >= index.contig_count()
            {
                continue;
            }
            let offset = index.contig_offset(contig);
            let sequence = index.contig_sequence_around(contig);
            let span = UnrolledSpan::of(read, index.contig_length(contig));
            let events = alignments.events_of(i);
            read_pieces(&span, events, &mut pieces);
            let flags = span_flags(read);
            for piece in &pieces {
                self.span_starts.push(offset + piece.start);
                self.span_ends.push(offset + piece.end);
                self.span_flags.push(
                    flags
                        | if piece.continues_before {
                            CONTINUES_BEFORE
                        } else {
                            0
                        }
                        | if piece.continues_after {
                            CONTINUES_AFTER
                        } else {
                            0
                        },
                );
            }
            // Whether an indel at (normalised) `position` has its anchor far
            // enough inside this read; see [`indel_margin`].
            let margin = indel_margin(span.end - span.start);
            let inside = |position: usize| {
                let anchor = span.unroll(position.saturating_sub(1) as u32);
                anchor >= span.start + margin && anchor + margin < span.end
            };
            let mut k = 0;
            while k < events.len() {
                let event = &events[k];
                k += 1;
                // Alignments made against another reference would index out
                // of this one; a caller's bug, but not worth a crash.
                let extent = match event.kind {
                    EventKind::Insertion => 0,
                    _ => event.length as usize,
                };
                if event.position as usize + extent > sequence.len() {
                    continue;
                }
                if event.kind == EventKind::Mismatch {
                    let at = span.unroll(event.position);
                    let inside = at >= span.start + SNV_MARGIN && at + SNV_MARGIN < span.end;
                    if inside && event.quality >= options.min_base_quality {
                        self.snv_positions.push(offset + event.position);
                        self.snv_bases.push(event.base);
                        self.snv_qualities.push(weighed(event.quality, read.mapq));
                        self.snv_mapping_qualities.push(read.mapq);
                        self.snv_flags.push(observation_flags(read, at));
                    }
                    continue;
                }
                // A deletion and an insertion that touch are one replacement
                // (an aligner may write it either way round, or split it
                // differently from read to read).
                let mut quality = event.quality;
                let (mut position, mut deleted) = (event.position as usize, 0);
                inserted.clear();
                for event in std::iter::once(event).chain(
                    events
                        .get(k)
                        .filter(|next| touching(event, next, sequence.len())),
                ) {
                    quality = quality.min(event.quality);
                    if event.kind == EventKind::Deletion {
                        deleted = event.length as usize;
                        position = event.position as usize;
                    } else {
                        inserted.extend_from_slice(alignments.inserted(event));
                    }
                }
                if deleted > 0 && !inserted.is_empty() {
                    k += 1;
                }
                let Some((position, deleted)) =
                    normalise_indel(sequence, position, deleted, &mut inserted)
                else {
                    continue;
                };
                if !inside(position) {
                    continue;
                }
                self.indel_positions.push(offset + position as u32);
                if inserted.is_empty() {
                    self.indel_lengths.push(-(deleted as i32));
                    self.indel_replaced.push(0);
                } else {
                    self.indel_lengths.push(inserted.len() as i32);
                    self.indel_replaced.push(deleted as u32);
                }
                self.indel_qualities.push(weighed(quality, read.mapq));
                self.indel_mapping_qualities.push(read.mapq);
                let anchor = span.unroll(position.saturating_sub(1) as u32);
                self.indel_flags.push(observation_flags(read, anchor));
                self.indel_inserted.extend_from_slice(&inserted);
            }
        }
    }

    /// Checks that the parallel arrays agree in length.
    pub(super) fn validate(&self) -> Result<(), PileupError> {
        let spans = self.span_starts.len();
        let snvs = self.snv_positions.len();
        let indels = self.indel_positions.len();
        let inserted: usize = self
            .indel_lengths
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| l as usize)
            .sum();
        let consistent = self.span_ends.len() == spans
            && flags_fit(&self.span_flags, spans)
            && flags_fit(&self.snv_flags, snvs)
            && flags_fit(&self.indel_flags, indels)
            && self.snv_bases.len() == snvs
            && self.snv_qualities.len() == snvs
            && self.snv_mapping_qualities.len() == snvs
            && self.indel_lengths.len() == indels
            && self.indel_replaced.len() == indels
            && self.indel_qualities.len() == indels
            && self.indel_mapping_qualities.len() == indels
            && self.indel_inserted.len() == inserted;
        if consistent {
            Ok(())
        } else {
            Err(PileupError::Corrupt {
                message: "evidence arrays of different lengths".into(),
            })
        }
    }
}

/// Whether a flags array holds one entry per element of `count`, or none.
fn flags_fit(flags: &[u8], count: usize) -> bool {
    flags.is_empty() || flags.len() == count
}

/// Whether `next` is a deletion or insertion touching `event`, the other of
/// the two, within a contig of `length` bases.
fn touching(event: &AlignmentEvent, next: &AlignmentEvent, length: usize) -> bool {
    let end = |deletion: &AlignmentEvent| deletion.position + deletion.length;
    match (event.kind, next.kind) {
        (EventKind::Deletion, EventKind::Insertion) => next.position == end(event),
        (EventKind::Insertion, EventKind::Deletion) => {
            next.position == event.position && end(next) as usize <= length
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::ReadPlacement;
    use crate::pileup::testing::alignments;
    use crate::pileup::{AlleleSupport, IndelAllele, Pileup};
    use crate::pileup::{EvidenceOptions, INDEL_MARGIN, MIN_OBSERVATION_QUALITY};

    #[test]
    fn turns_alignments_into_normalised_evidence() {
        let (index, alignments) = alignments();
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        assert_eq!(evidence.reads, 5);
        // The read placed by a coin toss counts, as weak evidence.
        assert_eq!(evidence.span_starts, vec![50, 55, 60, 60, 85]);
        assert_eq!(evidence.snv_positions, vec![70, 70]);
        assert_eq!(evidence.snv_qualities, vec![30, MIN_OBSERVATION_QUALITY]);
        assert_eq!(evidence.snv_mapping_qualities, vec![60, 0]);
        // Both deletions of a T become the first T; the TT insertion
        // before position 44 moves to before the first T too.
        assert_eq!(evidence.indel_positions, vec![91, 91, 91]);
        assert_eq!(evidence.indel_lengths, vec![-1, -1, 2]);
        assert_eq!(evidence.indel_inserted, b"TT");

        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let coverage = pileup.coverage(0..pileup.total_length());
        // The first read spans global 50..140; it counts from SNV_MARGIN in.
        assert_eq!(coverage.depth(52), 0);
        assert_eq!(coverage.depth(53), 1);
        assert_eq!(coverage.depth(91), 5);
        assert_eq!(coverage.depth(149), 0);
        assert_eq!(coverage.depth(150), 0);
        // Only reads with room around the anchor (global 90) count for indels.
        assert_eq!(coverage.indel_depth(90), 4);
        assert_eq!(coverage.indel_depth(55), 0);
        let deletion = IndelAllele {
            position: 91,
            deleted: 1,
            inserted: Vec::new(),
        };
        assert_eq!(
            pileup.indel_support(&deletion),
            AlleleSupport {
                count: 2,
                quality_sum: 60,
                mapping_quality_sum: 120,
                zero_mapping_quality: 0,
                reverse: 0,
                near_read_end: 0,
            }
        );
        assert_eq!(pileup.allele_counts(), (1, 2));
        let (snv, support) = pileup.snv_alleles().next().unwrap();
        assert_eq!((snv.position, support.count), (70, 2));
        assert_eq!(
            (support.mapping_quality_sum, support.zero_mapping_quality),
            (60, 1)
        );
        assert_eq!(pileup.reads(), 5);
        assert_eq!(pileup.used_reads(), 5);
    }

    #[test]
    fn joins_a_deletion_and_an_insertion_that_touch_into_one_replacement() {
        let (index, mut alignments) = alignments();
        let first = alignments.events.len() as u32;
        let inserted_start = alignments.inserted_bases.len() as u32;
        alignments.inserted_bases.extend_from_slice(b"GGATT");
        let touching = [
            (EventKind::Deletion, 60, 6, 0),
            (EventKind::Insertion, 66, 5, inserted_start),
        ];
        for (kind, position, length, inserted_start) in touching {
            alignments.events.push(AlignmentEvent {
                kind,
                position,
                length,
                base: 0,
                quality: 30,
                inserted_start,
            });
        }
        alignments.reads.push(ReadPlacement {
            events_start: first,
            events_end: first + 2,
            ..alignments.reads[0]
        });
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let sequence = index.contig_sequence(1);
        let mut expected = b"GGATT".to_vec();
        let (position, deleted) = normalise_indel(sequence, 60, 6, &mut expected).unwrap();
        assert!(deleted > 0 && !expected.is_empty());
        let last = evidence.indel_positions.len() - 1;
        assert_eq!(evidence.indel_positions[last], 50 + position as u32);
        assert_eq!(evidence.indel_lengths[last], expected.len() as i32);
        assert_eq!(evidence.indel_replaced[last] as usize, deleted);
        assert!(evidence.indel_inserted.ends_with(&expected));
    }

    #[test]
    fn caps_what_a_read_shows_at_its_mapping_quality() {
        let (index, mut alignments) = alignments();
        alignments.reads[0].mapq = 12;
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        // The first read still counts, for no more than its placement is
        // worth; the coin-toss one for the floor.
        assert_eq!(evidence.span_starts, vec![50, 55, 60, 60, 85]);
        assert_eq!(evidence.snv_qualities, vec![12, MIN_OBSERVATION_QUALITY]);
        assert_eq!(evidence.indel_qualities, vec![12, 30, 30]);
    }

    #[test]
    fn leaves_short_reads_room_to_show_indels() {
        // A 36 bp read counts for indels in its middle 24 bases, a 150 bp
        // one in all but 12 bases at either end.
        assert_eq!(indel_margin(36), 6);
        assert_eq!(indel_margin(20), 6);
        assert_eq!(indel_margin(50), 8);
        assert_eq!(indel_margin(150), INDEL_MARGIN);
    }
}
