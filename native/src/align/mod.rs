//! Read mapping: a k-mer index over the reference and a seed-and-extend mapper.
//!
//! How a read is placed:
//! 1. **Trimming.** A low-quality 3' tail (below Phred 10 by default) is
//!    soft-clipped before anything else, so a failing tail cannot pose as
//!    SNVs or indels.
//! 2. **Seeds.** A few windows spread along the read are looked up in a
//!    hash index of the reference's (19, 10)-minimizers: of every 10
//!    consecutive canonical 19-mers the one of smallest hash (a k-mer and its
//!    reverse complement share one entry, so one look-up serves both
//!    strands). A read window matching the reference over 28 bases holds the
//!    same minimizer, at a fifth of the entries of a table of every k-mer.
//!    Reads too short or too changed for the long seeds (a 35 bp read with
//!    three errors) are seeded again with every short k-mer of a second
//!    table, which holds the short k-mers at every 4th reference position,
//!    and if need be with those one substitution away. K-mers in more than
//!    500 places are not indexed.
//! 3. **Votes.** Each hit implies a strand and a diagonal (reference position
//!    of the read's first base). Hits whose diagonals lie within the band of
//!    each other form one candidate; the candidate with most votes wins, and a
//!    runner-up with comparable votes is aligned too, to grade the mapping
//!    quality.
//! 4. **Alignment.** If the read matches the reference on the voted diagonal
//!    with only isolated mismatches, no gapped alignment can score better and
//!    the ungapped placement is kept (the common, fast case). Otherwise a
//!    banded affine-gap alignment (local at both read ends, i.e. soft-clipping)
//!    finds insertions and deletions; when the seeds beyond a clip vote for a
//!    diagonal up to `max_indel` away, the band is widened to reach it.
//! 5. **Split reads.** A long soft clip whose bases align further along the
//!    same contig and strand is joined to the alignment by one deletion (up
//!    to `max_split_deletion` bases), its breakpoint left-aligned. On a
//!    circular contig the contig goes on past its end from its start: a
//!    piece before the first is further along too (a deletion across the
//!    origin), and an alignment clipped at the contig's end or start goes
//!    on from the other end (`origin`).
//!
//! 6. **Pairs.** Mates of a paired batch, placed on their own, are then
//!    placed as pairs: an insert-size model learned from the confident pairs
//!    tells proper pairs (whose mates vouch for each other's mapping
//!    quality) and the window where a poorly placed mate is rescued.
//!
//! Results come as [`BatchAlignments`]: one [`ReadPlacement`] per read and a
//! flat list of [`AlignmentEvent`]s (mismatches, insertions, deletions), ready
//! to be turned into pileup evidence without per-read allocation.
//!
//! Parts: `index` (the reference and its seed tables), `kmer_table`,
//! `sampling` (minimizers and strides), `table_build` (a two-pass counting
//! sort, in parallel), `index_file`, `index_store`, `index_location` and
//! `checksum` (the index saved as `<reference>.hix`, in a chosen directory
//! or the user's cache, and mapped back), `packed`, `words`, `prefetch`,
//! `trim`, `seed` (seeding and voting), `placement` (long and short seeds,
//! choosing among candidates), `candidate_alignment` (one candidate:
//! `ungapped` fast path, `banded` alignment (its `scoring`, `fill` and
//! `traceback`), widening), `split` (split
//! reads), `insert_size` and `pairs` (mates placed as pairs), `mapper` (the entry points), `events` (placement and events),
//! `alignments` (the result types), `read_batch`, `options`, `bases`,
//! `error`.

mod alignments;
mod banded;
mod bases;
mod candidate_alignment;
mod checksum;
mod error;
mod events;
mod index;
mod index_file;
mod index_location;
mod index_store;
mod insert_size;
mod kmer_table;
mod mapper;
mod options;
mod origin;
mod packed;
mod pairs;
mod placement;
mod prefetch;
mod read_batch;
mod sampling;
mod seed;
mod split;
mod table_build;
#[cfg(test)]
pub(crate) mod testing;
mod trim;
mod ungapped;
mod words;

pub use alignments::{
    AlignmentEvent, BatchAlignments, BatchSummary, EventKind, ReadAlignment, ReadEvent,
    ReadPlacement, Strand,
};
pub use bases::reverse_complement;
pub use error::AlignError;
pub use index::{
    concatenate, share_contigs, Concatenated, IndexOptions, ReferenceIndex, MAX_REFERENCE_LENGTH,
};
pub use index_file::SourceStamp;
pub use index_location::{index_path, index_path_in, user_cache_dir};
pub use index_store::{open_or_build, open_or_build_concatenated, StoredIndex};
pub use insert_size::{InsertSize, InsertSizeModel};
pub use mapper::Mapper;
pub use options::MapperOptions;
pub(crate) use prefetch::prefetch;
pub use read_batch::ReadBatch;
pub use table_build::{IndexProgress, IndexStage, ProgressSink};
