//! Where an observation came from: its read's strand and whether it lies
//! near the read's end, as one byte of flags per observation, so that a
//! caller can test an allele for strand and read-end bias.

use crate::align::{ReadPlacement, Strand};

/// An observation this close to either end of its read's aligned span (in
/// bases) counts as near the read's end: errors and alignment artefacts
/// gather there, and an allele seen mostly there is suspect.
pub const READ_END_DISTANCE: u32 = 10;

/// Flag: the read matches the reverse strand.
pub const REVERSE_STRAND: u8 = 1;
/// Flag: the observation lies within [`READ_END_DISTANCE`] of its read's end.
pub const NEAR_READ_END: u8 = 2;
/// Flag: the read was placed by a coin toss (MAPQ 0) among equally good
/// places, as a read from one copy of a repeat is.
pub const COIN_TOSS: u8 = 4;

/// Span flag: the read goes on elsewhere before the span's start (the second
/// piece of a split read, or the part past a circular contig's origin), so
/// the start is no read end and no read-end margin applies there.
pub const CONTINUES_BEFORE: u8 = 8;
/// Span flag: the read goes on elsewhere after the span's end (see
/// [`CONTINUES_BEFORE`]).
pub const CONTINUES_AFTER: u8 = 16;

/// The flags of a read's span: its strand and whether it was placed by a
/// coin toss.
pub(super) fn span_flags(read: &ReadPlacement) -> u8 {
    strand_flag(read) | if read.mapq == 0 { COIN_TOSS } else { 0 }
}

fn strand_flag(read: &ReadPlacement) -> u8 {
    if read.strand == Strand::Reverse {
        REVERSE_STRAND
    } else {
        0
    }
}

/// The flags of an observation at contig `position` of `read`, given past
/// the origin of a circular contig as the contig's length plus the offset.
pub(super) fn observation_flags(read: &ReadPlacement, position: u32) -> u8 {
    let end = read.end + read.past_origin;
    let near_end = position < read.start + READ_END_DISTANCE || position + READ_END_DISTANCE >= end;
    strand_flag(read) | if near_end { NEAR_READ_END } else { 0 }
}
