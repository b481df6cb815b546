//! Bindings of the read producer: a thread of its own streaming batches of
//! simulated or FASTQ reads at a target rate.

use std::path::PathBuf;
use std::sync::Arc;

use napi::bindgen_prelude::Object;
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::{self, to_js, HelixError};
use crate::js_options::{seed, whole, MAX_SAFE_INTEGER};
use crate::reads_bindings::{read_options, PendingBatch};
use crate::sample_bindings::MutatedSample;
use crate::{fastq, producer, simulate};

/// Where a producer's reads come from.
#[napi(string_enum)]
pub enum ReadSource {
    /// Simulated from a mutated sample.
    SIMULATED,
    /// Read from FASTQ files.
    FASTQ,
}

/// A producer of simulated reads.
#[napi(object)]
#[derive(Default)]
pub struct SimulatedProducerOptions {
    /// Bases per read (default 150).
    pub read_length: Option<f64>,
    /// Mate pairs (default false).
    pub paired: Option<bool>,
    /// Mean fragment length of pairs (default 500).
    pub insert_mean: Option<f64>,
    /// Standard deviation of the fragment length (default 50).
    pub insert_sd: Option<f64>,
    /// Mean substitution error rate per base (default 0.001).
    pub error_rate: Option<f64>,
    /// Seed (a whole number, default 1).
    pub seed: Option<f64>,
    /// End the stream after this many reads (default: endless).
    pub total_reads: Option<f64>,
    /// Reads per batch (default 256; pairs round up to even).
    pub batch_size: Option<f64>,
    /// Target reads per second (default 0 = as fast as the consumer takes them).
    pub reads_per_second: Option<f64>,
    /// Finished batches held for the consumer before the thread parks (default 2).
    pub max_buffered_batches: Option<f64>,
}

/// A producer of reads from FASTQ files.
#[napi(object)]
#[derive(Default)]
pub struct FastqProducerOptions {
    /// The two files are mates, read in lockstep (default false: files are
    /// read one after another).
    pub paired: Option<bool>,
    /// Reads per batch (default 256; pairs round up to even).
    pub batch_size: Option<f64>,
    /// Target reads per second (default 0 = as fast as the consumer takes them).
    pub reads_per_second: Option<f64>,
    /// Finished batches held for the consumer before the thread parks (default 2).
    pub max_buffered_batches: Option<f64>,
}

/// Counters of a producer.
#[napi(object)]
pub struct ProducerStats {
    /// Reads produced (delivered or buffered).
    pub reads_produced: f64,
    /// Batches produced (delivered or buffered).
    pub batches_produced: f64,
    /// Milliseconds spent paused, including a pause in progress.
    pub paused_ms: f64,
    /// Whether the producer is paused.
    pub paused: bool,
    /// Whether the stream has ended (input exhausted, failed or closed).
    pub finished: bool,
    /// Finished batches not yet taken.
    pub buffered_batches: u32,
    /// Target reads per second (0 = unlimited).
    pub reads_per_second: f64,
}

/// Producer options from JavaScript, checked, with their defaults.
fn producer_options(
    batch_size: Option<f64>,
    reads_per_second: Option<f64>,
    max_buffered: Option<f64>,
) -> error::Result<producer::ProducerOptions> {
    let reads_per_second = reads_per_second.unwrap_or(0.0);
    if reads_per_second.is_nan() || reads_per_second < 0.0 {
        return Err(HelixError::option(
            "readsPerSecond",
            format!("must be 0 (unlimited) or positive, got {reads_per_second}"),
        ));
    }
    Ok(producer::ProducerOptions {
        batch_size: whole(
            "batchSize",
            batch_size.unwrap_or(256.0),
            1.0,
            f64::from(1u32 << 24),
        )? as usize,
        reads_per_second,
        max_buffered: whole("maxBufferedBatches", max_buffered.unwrap_or(2.0), 1.0, 1e6)? as usize,
    })
}

/// Streams batches of reads from a thread of its own at a target rate.
///
/// Take batches with `await producer.next()` (`null` at the end of the
/// stream); the event loop is never blocked. `pause()` takes effect within one
/// batch; `close()` stops the thread and ends pending `next()` calls with
/// `null`.
#[napi]
pub struct Producer {
    inner: producer::Producer,
    source: ReadSource,
}

#[napi]
impl Producer {
    /// A producer of reads simulated from `sample`.
    #[napi(factory)]
    pub fn simulated(
        sample: &MutatedSample,
        options: Option<SimulatedProducerOptions>,
    ) -> Result<Self> {
        let o = options.unwrap_or_default();
        let run = || -> error::Result<producer::Producer> {
            let reads = read_options(
                o.read_length,
                o.paired,
                o.insert_mean,
                o.insert_sd,
                o.error_rate,
            )?;
            let limit = o
                .total_reads
                .map(|n| whole("totalReads", n, 0.0, MAX_SAFE_INTEGER))
                .transpose()?;
            let simulator =
                simulate::ReadSimulator::new(Arc::clone(&sample.inner), reads, seed(o.seed)?)?;
            let options =
                producer_options(o.batch_size, o.reads_per_second, o.max_buffered_batches)?;
            producer::Producer::start(
                producer::Source::Simulated {
                    simulator: Box::new(simulator),
                    limit,
                },
                options,
            )
        };
        Ok(Self {
            inner: run().map_err(to_js)?,
            source: ReadSource::SIMULATED,
        })
    }

    /// A producer of reads from FASTQ files (plain or gzip). The files are
    /// opened now (an unreadable one throws); malformed records end the stream
    /// with an error naming the file, record number, line and problem.
    #[napi(factory)]
    pub fn fastq(files: Vec<String>, options: Option<FastqProducerOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let run = || -> error::Result<producer::Producer> {
            let paths: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
            let source = fastq::FastqSource::open(&paths, o.paired.unwrap_or(false))?;
            let options =
                producer_options(o.batch_size, o.reads_per_second, o.max_buffered_batches)?;
            producer::Producer::start(producer::Source::Fastq(source), options)
        };
        Ok(Self {
            inner: run().map_err(to_js)?,
            source: ReadSource::FASTQ,
        })
    }

    /// Where the reads come from.
    #[napi(getter)]
    pub fn source(&self) -> ReadSource {
        match self.source {
            ReadSource::SIMULATED => ReadSource::SIMULATED,
            ReadSource::FASTQ => ReadSource::FASTQ,
        }
    }

    /// The next batch, or `null` when the stream has ended. Rejects with the
    /// error that ended the stream (e.g. a malformed FASTQ record).
    #[napi(ts_return_type = "Promise<ReadBatch | null>")]
    pub fn next<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let (deferred, promise) = env.create_deferred()?;
        let pool = Arc::clone(self.inner.pool());
        self.inner.next(Box::new(move |outcome| match outcome {
            Ok(batch) => {
                deferred.resolve(move |_| Ok(batch.map(|batch| PendingBatch { batch, pool })))
            }
            Err(e) => deferred.reject(to_js(e)),
        }));
        Ok(promise)
    }

    /// Stops producing after the batch in progress.
    #[napi]
    pub fn pause(&self) {
        self.inner.pause();
    }

    /// Resumes after `pause()`.
    #[napi]
    pub fn resume(&self) {
        self.inner.resume();
    }

    /// Sets the target rate in reads per second (0 = unlimited), from the next
    /// batch on.
    #[napi]
    pub fn set_rate(&self, reads_per_second: f64) -> Result<()> {
        self.inner.set_rate(reads_per_second).map_err(to_js)
    }

    /// Current counters.
    #[napi(getter)]
    pub fn stats(&self) -> ProducerStats {
        let s = self.inner.stats();
        ProducerStats {
            reads_produced: s.reads_produced as f64,
            batches_produced: s.batches_produced as f64,
            paused_ms: s.paused.as_secs_f64() * 1000.0,
            paused: s.is_paused,
            finished: s.finished,
            buffered_batches: s.buffered as u32,
            reads_per_second: s.reads_per_second,
        }
    }

    /// Stops the thread and waits for it (at most one batch); pending and later
    /// `next()` calls resolve `null`. Safe to call twice.
    #[napi]
    pub fn close(&mut self) {
        self.inner.close();
    }
}
