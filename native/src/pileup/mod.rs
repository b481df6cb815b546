//! Pileup: per-position evidence accumulated over many batches of alignments.
//!
//! Flow: a worker maps a batch ([`crate::align::Mapper`]), turns the
//! alignments into compact [`Evidence`] (left-normalising indels on the way),
//! and a [`Pileup`] adds it. Evidence is plain arrays, so it can cross a
//! thread or process boundary as is ([`Evidence::to_bytes`]); pileups held by
//! several workers combine with [`Pileup::merge`].
//!
//! What a pileup keeps:
//! * per reference position, in chunks of [`CHUNK_SIZE`] bases allocated
//!   when a read first touches them (see `chunk`): depth (reads whose
//!   alignment spans it with at least [`SNV_MARGIN`] bases to spare on each
//!   side, deletions included) and indel depth (the same with
//!   [`indel_margin`]: the reads that could show an indel there). Both are
//!   stored as two-byte read start and end events, so adding a read appends
//!   a few entries instead of touching every base it covers, and a depth is
//!   exact however deep; [`Pileup::coverage`] sums up the stretch asked for;
//! * the same two depths of the reverse-strand reads alone, so that the
//!   reference reads of either strand can be counted, and of the reads
//!   placed by a coin toss (MAPQ 0) alone, so that a site's reference reads
//!   weigh what their placement is worth;
//! * per observed alternate allele: read count, summed base quality, reads
//!   on the reverse strand and near a read's end, in sorted lists per chunk
//!   (SNVs by position and base, an allele one read showed packed in four
//!   bytes; indels by their left-normalised form, in their anchor's chunk; a
//!   deletion and an insertion that touch in a read are one replacement).

mod allele;
mod bins;
mod bytes;
mod chunk;
mod counts;
#[cfg(test)]
mod counts_tests;
mod coverage;
mod error;
mod evidence;
mod evidence_rules;
mod hasher;
mod indel_store;
mod normalise;
mod read_out;
mod read_pieces;
mod snv_store;
mod strand;
#[cfg(test)]
mod testing;

pub use allele::{AlleleSupport, IndelAllele, SnvAllele, VcfAllele};
pub use bins::{bin_size, depth_bins, low_depth_runs, DepthBinner, DepthBins, LowDepthRuns};
pub use chunk::{CHUNK_BITS, CHUNK_SIZE};
pub use counts::{Pileup, PileupMemory};
pub use coverage::Coverage;
pub use error::PileupError;
pub use evidence::Evidence;
pub use evidence_rules::{
    indel_margin, EvidenceOptions, INDEL_MARGIN, MIN_OBSERVATION_QUALITY, SNV_MARGIN,
    SPLIT_DELETION,
};
pub(crate) use hasher::FxHashMap;
pub use normalise::{left_shift_deletion, left_shift_insertion, normalise, normalise_indel};
pub use read_out::Depths;
pub use strand::{
    COIN_TOSS, CONTINUES_AFTER, CONTINUES_BEFORE, NEAR_READ_END, READ_END_DISTANCE, REVERSE_STRAND,
};
