//! Errors of merging and decoding pileups and evidence.

use std::error::Error;
use std::fmt;

/// Errors of merging and decoding pileups and evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PileupError {
    /// Two pileups (or a pileup and evidence) are over different references.
    ReferenceMismatch {
        /// What differs.
        message: String,
    },
    /// Bytes given to `from_bytes` are not what `to_bytes` wrote.
    Corrupt {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for PileupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PileupError::ReferenceMismatch { message } => {
                write!(f, "pileups over different references: {message}")
            }
            PileupError::Corrupt { message } => write!(f, "corrupt pileup data: {message}"),
        }
    }
}

impl Error for PileupError {}
