//! A producer thread that fills batches from a [`Source`] at a target rate,
//! with pause / resume / set-rate, counters, and a clean close.
//!
//! Consumers ask for batches with [`Producer::next`], handing over a callback
//! that is called at once when a batch is ready, or later from the producer
//! thread. Nothing blocks the caller, so JavaScript's event loop is never
//! held. At most `max_buffered` finished batches wait for a consumer; beyond
//! that the thread parks (backpressure).
//!
//! A pause takes effect within one batch: the thread checks the pause flag
//! before it starts each batch and while it waits for the rate, so after
//! [`Producer::pause`] returns at most the batch being filled is still
//! delivered.

use crate::batch::Batch;
use crate::error::Result;

mod handle;
mod options;
mod source;
mod state;
mod thread;

pub use handle::Producer;
pub use options::{ProducerOptions, ProducerStats};
pub use source::Source;

/// Receives the outcome of one [`Producer::next`]: a batch, `None` at the end,
/// or the error that ended the stream.
pub type Delivery = Box<dyn FnOnce(Result<Option<Batch>>) + Send>;
