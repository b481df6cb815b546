//! Errors of the native core, and the one place they become JavaScript errors.
//!
//! Every message names the input it is about (a file path, an option name) so
//! a user can act on it without a stack trace.

use std::fmt;
use std::io;
use std::path::Path;

use crate::align::{AlignError, MAX_REFERENCE_LENGTH};
use crate::pileup::PileupError;

/// What went wrong, with the input it concerns.
#[derive(Debug)]
pub enum HelixError {
    /// A file could not be opened, read or written.
    Io {
        /// The file.
        path: String,
        /// What the operating system or decoder said.
        source: io::Error,
    },
    /// An input file has bad content (not FASTA, malformed FASTQ record...).
    Format {
        /// The file (or `"<memory>"`).
        input: String,
        /// Where and what, e.g. `record 12 (line 46): quality length 149 differs from sequence length 150`.
        message: String,
    },
    /// An option is out of range or inconsistent with the inputs.
    InvalidOption {
        /// The option's name as JavaScript sees it, e.g. `errorRate`.
        name: String,
        /// Why.
        message: String,
    },
    /// The operation was cancelled by the caller.
    Aborted,
    /// The producer was closed.
    Closed,
}

/// Result with a [`HelixError`].
pub type Result<T> = std::result::Result<T, HelixError>;

impl HelixError {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        HelixError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }

    /// Bad content in `input`.
    pub fn format(input: impl Into<String>, message: impl Into<String>) -> Self {
        HelixError::Format {
            input: input.into(),
            message: message.into(),
        }
    }

    /// Bad option `name`.
    pub fn option(name: impl Into<String>, message: impl Into<String>) -> Self {
        HelixError::InvalidOption {
            name: name.into(),
            message: message.into(),
        }
    }

    /// A rejected decode or merge of pileup data; `input` names what the
    /// bytes or object should have been, e.g. `evidence`.
    pub fn pileup(input: &str, error: PileupError) -> Self {
        match error {
            PileupError::Corrupt { message } => {
                HelixError::format(input, format!("malformed bytes ({message})"))
            }
            PileupError::ReferenceMismatch { message } => {
                HelixError::option(input, format!("is over another reference ({message})"))
            }
        }
    }
}

impl From<AlignError> for HelixError {
    /// Index options and read batches are arguments: a bad one is an
    /// [`HelixError::InvalidOption`] or [`HelixError::Format`] naming it.
    fn from(error: AlignError) -> Self {
        match error {
            AlignError::InvalidKmerLength { kmer_length } => HelixError::option(
                "kmerLength",
                format!("must be odd and between 11 and 31, got {kmer_length}"),
            ),
            AlignError::EmptyReference => HelixError::option("reference", "has no bases"),
            AlignError::ReferenceTooLong { length } => HelixError::option(
                "reference",
                format!("has {length} bases; an index holds at most {MAX_REFERENCE_LENGTH}"),
            ),
            AlignError::InvalidBatch { message } => HelixError::format("read batch", message),
        }
    }
}

impl fmt::Display for HelixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HelixError::Io { path, source } => match source.kind() {
                io::ErrorKind::UnexpectedEof => {
                    write!(
                        f,
                        "{path}: unexpected end of file ({source}); is it truncated?"
                    )
                }
                _ => write!(f, "{path}: {source}"),
            },
            HelixError::Format { input, message } => write!(f, "{input}: {message}"),
            HelixError::InvalidOption { name, message } => write!(f, "{name}: {message}"),
            HelixError::Aborted => write!(f, "aborted"),
            HelixError::Closed => write!(f, "the producer is closed"),
        }
    }
}

impl std::error::Error for HelixError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HelixError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Validates that a rate lies in `[0, 1]`.
pub fn check_rate(name: &str, value: f64) -> Result<()> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(HelixError::option(
            name,
            format!("must be a rate between 0 and 1, got {value}"),
        ))
    }
}

/// The one mapping from Rust errors to JavaScript errors: the message is the
/// [`Display`](fmt::Display) text; `error.code` is `InvalidArg` for bad options
/// and bad file content, `Cancelled` for an abort, `GenericFailure` otherwise.
pub fn to_js(error: HelixError) -> napi::Error {
    let status = match &error {
        HelixError::InvalidOption { .. } | HelixError::Format { .. } => napi::Status::InvalidArg,
        HelixError::Aborted => napi::Status::Cancelled,
        HelixError::Io { .. } | HelixError::Closed => napi::Status::GenericFailure,
    };
    napi::Error::new(status, format!("{error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_input() {
        let e = HelixError::format("reads.fq", "record 3 (line 9): quality line missing");
        assert_eq!(
            e.to_string(),
            "reads.fq: record 3 (line 9): quality line missing"
        );
        let e = HelixError::io("ref.fa", io::Error::from(io::ErrorKind::NotFound));
        assert!(e.to_string().starts_with("ref.fa: "));
    }

    #[test]
    fn detection_errors_name_the_argument() {
        let e = HelixError::from(AlignError::InvalidKmerLength { kmer_length: 20 });
        assert_eq!(
            e.to_string(),
            "kmerLength: must be odd and between 11 and 31, got 20"
        );
        let e = HelixError::from(AlignError::InvalidBatch {
            message: "offsets decrease at read 3".into(),
        });
        assert_eq!(e.to_string(), "read batch: offsets decrease at read 3");
        assert_eq!(to_js(e).status, napi::Status::InvalidArg);
        let corrupt = PileupError::Corrupt {
            message: "truncated".into(),
        };
        assert_eq!(
            HelixError::pileup("evidence", corrupt).to_string(),
            "evidence: malformed bytes (truncated)"
        );
    }

    #[test]
    fn rates_outside_unit_interval_are_rejected() {
        assert!(check_rate("errorRate", 0.0).is_ok());
        assert!(check_rate("errorRate", 1.0).is_ok());
        let e = check_rate("errorRate", 1.5).unwrap_err();
        assert!(e.to_string().starts_with("errorRate: "));
        assert!(check_rate("mutationRate", -0.1).is_err());
        assert!(check_rate("mutationRate", f64::NAN).is_err());
    }
}
