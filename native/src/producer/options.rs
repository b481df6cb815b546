//! How a producer runs and what it counts.

use std::time::Duration;

/// How a producer runs.
#[derive(Clone, Copy, Debug)]
pub struct ProducerOptions {
    /// Reads per batch (paired sources round up to an even number).
    pub batch_size: usize,
    /// Target reads per second; `0` or infinite means as fast as possible.
    pub reads_per_second: f64,
    /// Finished batches kept ready for the consumer before the thread parks.
    pub max_buffered: usize,
}

impl Default for ProducerOptions {
    fn default() -> Self {
        Self {
            batch_size: 256,
            reads_per_second: 0.0,
            max_buffered: 2,
        }
    }
}

/// Counters of a producer.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ProducerStats {
    /// Reads delivered or waiting to be taken.
    pub reads_produced: u64,
    /// Batches delivered or waiting to be taken.
    pub batches_produced: u64,
    /// Total time spent paused, including a pause in progress.
    pub paused: Duration,
    /// Whether the producer is paused now.
    pub is_paused: bool,
    /// Whether the source is exhausted (or failed, or the producer closed).
    pub finished: bool,
    /// Batches finished and not yet taken.
    pub buffered: usize,
    /// Target reads per second (`0` = unlimited).
    pub reads_per_second: f64,
}
