//! Node-API bindings of the Helix-Throttle native core. Bindings only: the
//! algorithms live in the plain Rust modules below, with their own tests; the
//! bindings of each are in a `*_bindings.rs` module of their own (reference,
//! sample, reads, producer, simulate files, index, detector, pileup, caller,
//! socket writes).

#![deny(clippy::all)]

pub mod align;
pub mod annotate;
pub mod annotate_bindings;
pub mod annotate_objects;
pub mod batch;
pub mod caller;
pub mod caller_bindings;
pub mod detector_bindings;
pub mod error;
pub mod fastq;
pub mod files;
pub mod genbank_bindings;
pub mod index_bindings;
pub mod js_options;
pub mod pileup;
pub mod pileup_bindings;
pub mod producer;
pub mod producer_bindings;
pub mod reads_bindings;
pub mod reference;
pub mod reference_bindings;
pub mod rng;
pub mod sample_bindings;
pub mod shared_bases;
pub mod simulate;
pub mod simulate_files;
pub mod simulate_files_bindings;
pub mod socket_writes;
pub mod socket_writes_bindings;
