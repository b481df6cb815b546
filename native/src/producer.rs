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

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::batch::{Batch, BatchPool};
use crate::error::{HelixError, Result};
use crate::fastq::FastqSource;
use crate::simulate::ReadSimulator;

/// Where reads come from.
pub enum Source {
    /// Simulated reads, endless or up to `limit` reads.
    Simulated {
        /// The simulator.
        simulator: Box<ReadSimulator>,
        /// Stop after this many reads (mates count one each).
        limit: Option<u64>,
    },
    /// FASTQ files; the stream ends with the input.
    Fastq(FastqSource),
}

impl Source {
    /// Refills `batch` with up to `reads` reads; `false` at the end.
    fn fill(&mut self, batch: &mut Batch, reads: usize) -> Result<bool> {
        match self {
            Source::Simulated { simulator, limit } => {
                let per_fragment = if simulator.options().paired { 2 } else { 1 };
                let produced = simulator.fragments() * per_fragment;
                let wanted = match limit {
                    Some(limit) => (*limit - produced.min(*limit)).min(reads as u64) as usize,
                    None => reads,
                };
                if wanted == 0 {
                    return Ok(false);
                }
                simulator.fill_batch(batch, wanted.div_ceil(per_fragment as usize));
                Ok(true)
            }
            Source::Fastq(source) => source.fill_batch(batch, reads),
        }
    }
}

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

/// Receives the outcome of one [`Producer::next`]: a batch, `None` at the end,
/// or the error that ended the stream.
pub type Delivery = Box<dyn FnOnce(Result<Option<Batch>>) + Send>;

struct State {
    ready: VecDeque<Batch>,
    waiting: VecDeque<Delivery>,
    paused_since: Option<Instant>,
    paused_total: Duration,
    closed: bool,
    finished: bool,
    failure: Option<HelixError>,
    reads_per_second: f64,
    rate_changed: bool,
    reads_produced: u64,
    batches_produced: u64,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

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

fn run(shared: Arc<Shared>, pool: Arc<BatchPool>, mut source: Source, options: ProducerOptions) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;
    use crate::simulate::{MutationOptions, ReadOptions, Sample};
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
