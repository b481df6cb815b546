//! Streaming FASTQ reader (plain or gzip; one file, several files in a row, or
//! two mate files in lockstep) filling [`Batch`]es.
//!
//! Malformed input is an error naming the file, the record number, the line
//! and the problem; nothing is skipped silently.

mod reader;
mod source;

pub use reader::FastqReader;
pub use source::FastqSource;

/// A batch stops growing past this many bases, whatever its read count.
pub const MAX_BATCH_BASES: usize = 1 << 26;
