//! Pileup: per-position evidence accumulated over many batches of alignments.
//!
//! Flow: a worker maps a batch ([`crate::align::Mapper`]), turns the
//! alignments into compact [`Evidence`] (left-normalising indels on the way),
//! and a [`Pileup`] adds it. Evidence is plain arrays, so it can cross a
//! thread or process boundary as is ([`Evidence::to_bytes`]); pileups held by
//! several workers combine with [`Pileup::merge`].
//!
//! What a pileup keeps:
//! * per reference position, in arrays sized to the reference: depth (reads
//!   whose alignment spans it with at least [`SNV_MARGIN`] bases to spare on
//!   each side, deletions included) and indel depth (the same with
//!   [`indel_margin`]: the reads that could show an indel there). Both are
//!   stored as changes from one position to the next, so adding a read
//!   touches two entries instead of every base it covers;
//!   [`Pileup::coverage`] sums them up;
//! * the same two depths of the reverse-strand reads alone, so that the
//!   reference reads of either strand can be counted, and of the reads
//!   placed by a coin toss (MAPQ 0) alone, so that a site's reference reads
//!   weigh what their placement is worth;
//! * per observed alternate allele: read count, summed base quality, reads
//!   on the reverse strand and near a read's end, in hash maps (SNVs by
//!   position and base, indels by their left-normalised form; a deletion
//!   and an insertion that touch in a read are one replacement).

mod allele;
mod bins;
mod bytes;
mod counts;
mod coverage;
mod error;
mod evidence;
mod hasher;
mod normalise;
mod strand;
#[cfg(test)]
mod testing;

pub use allele::{AlleleSupport, IndelAllele, SnvAllele, VcfAllele};
pub use bins::{bin_size, depth_bins, low_depth_runs, DepthBins};
pub use counts::Pileup;
pub use coverage::Coverage;
pub use error::PileupError;
pub use evidence::{
    indel_margin, Evidence, EvidenceOptions, INDEL_MARGIN, MIN_OBSERVATION_QUALITY, SNV_MARGIN,
};
pub(crate) use hasher::FxHashMap;
pub use normalise::{left_shift_deletion, left_shift_insertion, normalise, normalise_indel};
pub use strand::{COIN_TOSS, NEAR_READ_END, READ_END_DISTANCE, REVERSE_STRAND};
