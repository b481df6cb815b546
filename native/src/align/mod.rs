//! Read mapping: a k-mer index over the reference and a seed-and-extend mapper.
//!
//! How a read is placed:
//! 1. **Seeds.** A few k-mers spread along the read are looked up in a hash
//!    index of every canonical k-mer of the reference (a k-mer and its reverse
//!    complement share one entry, so one look-up serves both strands).
//! 2. **Votes.** Each hit implies a strand and a diagonal (reference position
//!    of the read's first base). Hits whose diagonals lie within the band of
//!    each other form one candidate; the candidate with most votes wins, and a
//!    runner-up with comparable votes is aligned too, to grade the mapping
//!    quality.
//! 3. **Alignment.** If the read matches the reference on the voted diagonal
//!    with only isolated mismatches, no gapped alignment can score better and
//!    the ungapped placement is kept (the common, fast case). Otherwise a
//!    banded affine-gap alignment (local at both read ends, i.e. soft-clipping)
//!    finds insertions and deletions.
//!
//! Results come as [`BatchAlignments`]: one [`ReadPlacement`] per read and a
//! flat list of [`AlignmentEvent`]s (mismatches, insertions, deletions), ready
//! to be turned into pileup evidence without per-read allocation.
//!
//! Parts: `index` (the k-mer index), `seed` (seeding and voting),
//! `ungapped` (the fast path), `banded` (the gapped alignment), `mapper`
//! (choosing the alignment), `events` (its placement and events),
//! `alignments` (the result types), `read_batch`, `options`, `bases`,
//! `error`.

mod alignments;
mod banded;
mod bases;
mod error;
mod events;
mod index;
mod mapper;
mod options;
mod read_batch;
mod seed;
#[cfg(test)]
pub(crate) mod testing;
mod ungapped;

pub use alignments::{
    AlignmentEvent, BatchAlignments, BatchSummary, EventKind, ReadAlignment, ReadEvent,
    ReadPlacement, Strand,
};
pub use bases::reverse_complement;
pub use error::AlignError;
pub(crate) use index::prefetch;
pub use index::{IndexOptions, ReferenceIndex, MAX_REFERENCE_LENGTH};
pub use mapper::Mapper;
pub use options::MapperOptions;
pub use read_batch::ReadBatch;
