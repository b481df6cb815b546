//! The state the producer thread and its handle share behind one lock.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::Delivery;
use crate::batch::Batch;
use crate::error::HelixError;

/// What the thread and the handle both read and change.
pub(super) struct State {
    pub(super) ready: VecDeque<Batch>,
    pub(super) waiting: VecDeque<Delivery>,
    pub(super) paused_since: Option<Instant>,
    pub(super) paused_total: Duration,
    pub(super) closed: bool,
    pub(super) finished: bool,
    pub(super) failure: Option<HelixError>,
    pub(super) reads_per_second: f64,
    pub(super) rate_changed: bool,
    pub(super) reads_produced: u64,
    pub(super) batches_produced: u64,
}

/// The state and the condition variable that wakes the thread.
pub(super) struct Shared {
    pub(super) state: Mutex<State>,
    pub(super) wake: Condvar,
}

impl Shared {
    /// Locks the state, recovering it from a poisoned lock.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
