//! Node-API bindings of the Helix-Throttle native core. Bindings only: the
//! algorithms live in the plain Rust modules below, with their own tests; the
//! bindings of each are in a `*_bindings.rs` module of their own (reference,
//! sample, reads, producer, simulate files, detection).

#![deny(clippy::all)]

pub mod align;
pub mod annotate;
pub mod batch;
pub mod caller;
mod detect_bindings;
pub mod error;
pub mod fastq;
pub mod files;
pub mod js_options;
pub mod pileup;
pub mod producer;
pub mod producer_bindings;
pub mod reads_bindings;
pub mod reference;
pub mod reference_bindings;
pub mod rng;
pub mod sample_bindings;
pub mod simulate;
pub mod simulate_files;
pub mod simulate_files_bindings;
