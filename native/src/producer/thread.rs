//! The producer thread: fills batches from the source at the target rate,
//! parks when paused or when enough batches wait, delivers to consumers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::state::Shared;
use super::{ProducerOptions, Source};
use crate::batch::BatchPool;

/// The producer thread's loop, until the source ends or the producer closes.
pub(super) fn run(
    shared: Arc<Shared>,
    pool: Arc<BatchPool>,
    mut source: Source,
    options: ProducerOptions,
) {
    let mut due = Instant::now();
    let mut restart_clock = true;
    loop {
        // Wait until we may produce: not paused, room for a batch, on time.
        {
            let mut state = shared.lock();
            loop {
                if state.closed {
                    return;
                }
                if state.paused_since.is_some() {
                    restart_clock = true;
                    state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
                    continue;
                }
                if state.ready.len() >= options.max_buffered.max(1) && state.waiting.is_empty() {
                    state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
                    continue;
                }
                if state.rate_changed {
                    state.rate_changed = false;
                    restart_clock = true;
                }
                if state.reads_per_second == 0.0 {
                    break;
                }
                let now = Instant::now();
                let interval =
                    Duration::from_secs_f64(options.batch_size as f64 / state.reads_per_second);
                // After a pause or a rate change, or when more than a batch
                // behind (a slow consumer), start afresh instead of bursting.
                if restart_clock || due + interval < now {
                    due = now;
                    restart_clock = false;
                }
                if due <= now {
                    break;
                }
                state = shared
                    .wake
                    .wait_timeout(state, due - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        let mut batch = pool.take();
        let outcome = source
            .fill(&mut batch, options.batch_size)
            .map(|more| more.then_some(batch));
        let mut state = shared.lock();
        if state.closed {
            return;
        }
        match outcome {
            Ok(Some(batch)) => {
                let reads = batch.len() as u64;
                state.reads_produced += reads;
                state.batches_produced += 1;
                if state.reads_per_second > 0.0 {
                    due += Duration::from_secs_f64(reads as f64 / state.reads_per_second);
                }
                if let Some(deliver) = state.waiting.pop_front() {
                    drop(state);
                    deliver(Ok(Some(batch)));
                } else {
                    state.ready.push_back(batch);
                }
            }
            Ok(None) => {
                state.finished = true;
                let waiting = std::mem::take(&mut state.waiting);
                drop(state);
                for deliver in waiting {
                    deliver(Ok(None));
                }
                return;
            }
            Err(error) => {
                state.finished = true;
                let mut waiting = std::mem::take(&mut state.waiting);
                match waiting.pop_front() {
                    Some(first) => {
                        drop(state);
                        first(Err(error));
                    }
                    None => {
                        state.failure = Some(error);
                        drop(state);
                    }
                }
                for deliver in waiting {
                    deliver(Ok(None));
                }
                return;
            }
        }
    }
}
