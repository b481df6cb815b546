//! Errors of index building and batch input.

use std::error::Error;
use std::fmt;

use super::MAX_REFERENCE_LENGTH;

/// Errors of index building and batch input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlignError {
    /// The reference has no bases.
    EmptyReference,
    /// The reference is longer than [`MAX_REFERENCE_LENGTH`].
    ReferenceTooLong {
        /// Its length in bases.
        length: u64,
    },
    /// The k-mer length is even or outside 11..=31.
    InvalidKmerLength {
        /// The rejected length.
        kmer_length: usize,
    },
    /// A read batch's buffers disagree with each other.
    InvalidBatch {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for AlignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlignError::EmptyReference => write!(f, "the reference has no bases"),
            AlignError::ReferenceTooLong { length } => write!(
                f,
                "the reference has {length} bases; at most {MAX_REFERENCE_LENGTH} are supported"
            ),
            AlignError::InvalidKmerLength { kmer_length } => write!(
                f,
                "k-mer length {kmer_length} is not supported (use an odd length from 11 to 31)"
            ),
            AlignError::InvalidBatch { message } => write!(f, "invalid read batch: {message}"),
        }
    }
}

impl Error for AlignError {}
