//! The consumer's side of a producer: asking for batches, pausing, pacing,
//! counting, closing.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::state::{Shared, State};
use super::thread::run;
use super::{Delivery, ProducerOptions, ProducerStats, Source};
use crate::batch::BatchPool;
use crate::error::{HelixError, Result};

/// A read producer running on its own thread.
pub struct Producer {
    shared: Arc<Shared>,
    pool: Arc<BatchPool>,
    thread: Option<JoinHandle<()>>,
}

fn normalise_rate(reads_per_second: f64) -> f64 {
    if reads_per_second.is_finite() && reads_per_second > 0.0 {
        reads_per_second
    } else {
        0.0
    }
}

impl Producer {
    /// Starts the thread.
    pub fn start(source: Source, options: ProducerOptions) -> Result<Self> {
        if options.batch_size == 0 {
            return Err(HelixError::option("batchSize", "must be at least 1"));
        }
        if options.reads_per_second.is_nan() || options.reads_per_second < 0.0 {
            return Err(HelixError::option(
                "readsPerSecond",
                format!(
                    "must be 0 (unlimited) or positive, got {}",
                    options.reads_per_second
                ),
            ));
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                ready: VecDeque::new(),
                waiting: VecDeque::new(),
                paused_since: None,
                paused_total: Duration::ZERO,
                closed: false,
                finished: false,
                failure: None,
                reads_per_second: normalise_rate(options.reads_per_second),
                rate_changed: false,
                reads_produced: 0,
                batches_produced: 0,
            }),
            wake: Condvar::new(),
        });
        let pool = Arc::new(BatchPool::default());
        let thread_shared = Arc::clone(&shared);
        let thread_pool = Arc::clone(&pool);
        let thread = std::thread::Builder::new()
            .name("helix-producer".into())
            .spawn(move || run(thread_shared, thread_pool, source, options))
            .map_err(|e| HelixError::io("producer thread", e))?;
        Ok(Self {
            shared,
            pool,
            thread: Some(thread),
        })
    }

    /// Where delivered batches go back once the consumer has copied them out.
    pub fn pool(&self) -> &Arc<BatchPool> {
        &self.pool
    }

    /// Takes the next batch: `deliver` is called now if one is ready (or the
    /// stream has ended), otherwise from the producer thread when one is.
    pub fn next(&self, deliver: Delivery) {
        let mut state = self.shared.lock();
        if let Some(batch) = state.ready.pop_front() {
            drop(state);
            self.shared.wake.notify_all();
            deliver(Ok(Some(batch)));
        } else if let Some(error) = state.failure.take() {
            drop(state);
            deliver(Err(error));
        } else if state.finished || state.closed {
            drop(state);
            deliver(Ok(None));
        } else {
            state.waiting.push_back(deliver);
        }
    }

    /// Stops producing after the batch in progress, if any.
    pub fn pause(&self) {
        let mut state = self.shared.lock();
        if state.paused_since.is_none() {
            state.paused_since = Some(Instant::now());
        }
        drop(state);
        self.shared.wake.notify_all();
    }

    /// Resumes after [`Producer::pause`].
    pub fn resume(&self) {
        let mut state = self.shared.lock();
        if let Some(since) = state.paused_since.take() {
            state.paused_total += since.elapsed();
        }
        drop(state);
        self.shared.wake.notify_all();
    }

    /// Changes the target rate (reads per second, `0` = unlimited); applies
    /// from the next batch.
    pub fn set_rate(&self, reads_per_second: f64) -> Result<()> {
        if reads_per_second.is_nan() || reads_per_second < 0.0 {
            return Err(HelixError::option(
                "readsPerSecond",
                format!("must be 0 (unlimited) or positive, got {reads_per_second}"),
            ));
        }
        let mut state = self.shared.lock();
        state.reads_per_second = normalise_rate(reads_per_second);
        state.rate_changed = true;
        drop(state);
        self.shared.wake.notify_all();
        Ok(())
    }

    /// Current counters.
    pub fn stats(&self) -> ProducerStats {
        let state = self.shared.lock();
        ProducerStats {
            reads_produced: state.reads_produced,
            batches_produced: state.batches_produced,
            paused: state.paused_total + state.paused_since.map_or(Duration::ZERO, |s| s.elapsed()),
            is_paused: state.paused_since.is_some(),
            finished: state.finished || state.closed,
            buffered: state.ready.len(),
            reads_per_second: state.reads_per_second,
        }
    }

    /// Stops the thread and waits for it; pending and later
    /// [`Producer::next`] calls get `None`. Idempotent.
    pub fn close(&mut self) {
        let waiting = {
            let mut state = self.shared.lock();
            state.closed = true;
            state.ready.clear();
            std::mem::take(&mut state.waiting)
        };
        self.shared.wake.notify_all();
        for deliver in waiting {
            deliver(Ok(None));
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Producer {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batch;
    use crate::reference::Reference;
    use crate::simulate::{MutationOptions, ReadOptions, ReadSimulator, Sample};
    use std::sync::mpsc;

    fn simulated(limit: Option<u64>) -> Source {
        let reference = Reference::random(20_000, 3, "r").unwrap();
        let sample = Sample::mutate(&reference, &MutationOptions::default(), 3).unwrap();
        let simulator = ReadSimulator::new(Arc::new(sample), ReadOptions::default(), 3).unwrap();
        Source::Simulated {
            simulator: Box::new(simulator),
            limit,
        }
    }

    fn take(producer: &Producer) -> Result<Option<Batch>> {
        let (tx, rx) = mpsc::channel();
        producer.next(Box::new(move |outcome| tx.send(outcome).unwrap()));
        rx.recv_timeout(Duration::from_secs(10))
            .expect("a batch in time")
    }

    #[test]
    fn delivers_batches_until_the_limit() {
        let options = ProducerOptions {
            batch_size: 100,
            ..ProducerOptions::default()
        };
        let producer = Producer::start(simulated(Some(250)), options).unwrap();
        let sizes: Vec<usize> = std::iter::from_fn(|| take(&producer).unwrap())
            .map(|b| b.len())
            .collect();
        assert_eq!(sizes, vec![100, 100, 50]);
        assert!(take(&producer).unwrap().is_none());
        let stats = producer.stats();
        assert_eq!((stats.reads_produced, stats.batches_produced), (250, 3));
        assert!(stats.finished);
    }

    #[test]
    fn pause_takes_effect_within_one_batch() {
        let options = ProducerOptions {
            batch_size: 64,
            ..ProducerOptions::default()
        };
        let mut producer = Producer::start(simulated(None), options).unwrap();
        take(&producer).unwrap();
        producer.pause();
        let at_pause = producer.stats().batches_produced;
        // Drain what was buffered, then nothing more arrives while paused.
        std::thread::sleep(Duration::from_millis(50));
        let buffered = producer.stats().buffered;
        for _ in 0..buffered {
            take(&producer).unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
        let stats = producer.stats();
        assert!(
            stats.batches_produced <= at_pause + 1,
            "{stats:?} after {at_pause}"
        );
        assert!(stats.is_paused && stats.paused >= Duration::from_millis(100));
        producer.resume();
        assert!(take(&producer).unwrap().is_some());
        assert!(!producer.stats().is_paused);
        producer.close();
        assert!(take(&producer).unwrap().is_none());
    }

    #[test]
    fn paces_to_the_target_rate_and_follows_set_rate() {
        let options = ProducerOptions {
            batch_size: 100,
            reads_per_second: 5_000.0,
            max_buffered: 1,
        };
        let producer = Producer::start(simulated(None), options).unwrap();
        let started = Instant::now();
        for _ in 0..10 {
            take(&producer).unwrap();
        }
        let slow = started.elapsed();
        // 1000 reads at 5000/s: about 0.2 s (the first batch is immediate).
        assert!(slow >= Duration::from_millis(150), "{slow:?}");
        producer.set_rate(0.0).unwrap();
        let started = Instant::now();
        for _ in 0..10 {
            take(&producer).unwrap();
        }
        assert!(started.elapsed() < slow, "unlimited is faster");
        assert!(producer.set_rate(-1.0).is_err());
    }

    #[test]
    fn close_releases_waiting_consumers() {
        let mut producer = Producer::start(simulated(None), ProducerOptions::default()).unwrap();
        producer.pause();
        std::thread::sleep(Duration::from_millis(20));
        for _ in 0..producer.stats().buffered {
            take(&producer).unwrap();
        }
        let (tx, rx) = mpsc::channel();
        producer.next(Box::new(move |outcome| tx.send(outcome).unwrap()));
        producer.close();
        assert!(rx
            .recv_timeout(Duration::from_secs(5))
            .unwrap()
            .unwrap()
            .is_none());
    }
}
