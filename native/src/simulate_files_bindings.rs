//! Bindings of `helix simulate`: reference, sample and reads to files, off
//! the JavaScript thread.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::{AbortSignal, AsyncTask};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Result, Status, Task};
use napi_derive::napi;

use crate::error::{self, to_js, HelixError};
use crate::js_options::{rate, seed, whole, MAX_SAFE_INTEGER};
use crate::reads_bindings::read_options;
use crate::{simulate, simulate_files};

/// Options of {@link simulateToFiles} (the `helix simulate` flags).
#[napi(object)]
pub struct SimulateFilesOptions {
    /// FASTA reference to sample from (plain or gzip). Exclusive with `referenceLength`.
    pub reference: Option<String>,
    /// Make a random reference of this many bases instead.
    pub reference_length: Option<f64>,
    /// Name of the random reference's contig (default `random`).
    pub reference_name: Option<String>,
    /// Write the reference here as FASTA.
    pub reference_out: Option<String>,
    /// Number of reads; pairs when `out2` is set.
    pub reads: f64,
    /// Bases per read (default 150).
    pub read_length: Option<f64>,
    /// Probability that a reference position starts a mutation (default 0.001).
    pub mutation_rate: Option<f64>,
    /// Fraction of mutations that are indels (default 0.15).
    pub indel_fraction: Option<f64>,
    /// Mean substitution error rate per base (default 0.001).
    pub error_rate: Option<f64>,
    /// Mean fragment length of pairs (default 500).
    pub insert_mean: Option<f64>,
    /// Standard deviation of the fragment length (default 50).
    pub insert_sd: Option<f64>,
    /// Seed (a whole number, default 1).
    pub seed: Option<f64>,
    /// FASTQ of reads or first mates (gzip when it ends in `.gz`).
    pub out: String,
    /// FASTQ of second mates; setting it makes the reads paired.
    pub out2: Option<String>,
    /// Truth VCF 4.3 of the injected mutations.
    pub truth: Option<String>,
}

/// Progress of {@link simulateToFiles}.
#[napi(object)]
pub struct SimulateProgress {
    /// Reads (or pairs) written.
    pub done: f64,
    /// Reads (or pairs) to write.
    pub total: f64,
}

/// What {@link simulateToFiles} wrote.
#[napi(object)]
pub struct SimulateSummary {
    /// Reads written (mates count one each).
    pub reads: f64,
    /// Bases written.
    pub bases: f64,
    /// Reference contigs.
    pub contigs: u32,
    /// Total reference length.
    pub reference_length: f64,
    /// Injected SNVs.
    pub snvs: f64,
    /// Injected insertions.
    pub insertions: f64,
    /// Injected deletions.
    pub deletions: f64,
    /// Wall time in milliseconds.
    pub elapsed_ms: f64,
}

/// The `onProgress` callback, called from the worker thread.
type ProgressCallback = ThreadsafeFunction<SimulateProgress, (), SimulateProgress, Status, false>;

/// Runs `helix simulate` on a worker thread.
pub struct SimulateTask {
    options: Option<SimulateFilesOptions>,
    on_progress: Option<Arc<ProgressCallback>>,
    cancel: Arc<AtomicBool>,
}

impl Task for SimulateTask {
    type Output = simulate_files::SimulateSummary;
    type JsValue = SimulateSummary;

    fn compute(&mut self) -> Result<Self::Output> {
        let callback = self.on_progress.clone();
        let mut progress = move |p: simulate_files::Progress| {
            if let Some(callback) = &callback {
                callback.call(
                    SimulateProgress {
                        done: p.done as f64,
                        total: p.total as f64,
                    },
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }
        };
        let options = simulate_files_options(self.options.take().expect("a task runs once"))
            .map_err(to_js)?;
        simulate_files::simulate_files(&options, &mut progress, &self.cancel).map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, s: Self::Output) -> Result<Self::JsValue> {
        Ok(SimulateSummary {
            reads: s.reads as f64,
            bases: s.bases as f64,
            contigs: s.contigs as u32,
            reference_length: s.reference_length as f64,
            snvs: s.snvs as f64,
            insertions: s.insertions as f64,
            deletions: s.deletions as f64,
            elapsed_ms: s.elapsed.as_secs_f64() * 1000.0,
        })
    }
}

/// `helix simulate` options from JavaScript, checked, with their defaults.
fn simulate_files_options(o: SimulateFilesOptions) -> error::Result<simulate_files::SimulateFiles> {
    let reference = match (o.reference, o.reference_length) {
        (Some(path), None) => simulate_files::ReferenceSource::Fasta(path.into()),
        (None, Some(length)) => simulate_files::ReferenceSource::Random {
            length: whole("referenceLength", length, 1.0, f64::from(u32::MAX))?,
            name: o.reference_name.unwrap_or_else(|| "random".into()),
        },
        (Some(_), Some(_)) => {
            return Err(HelixError::option(
                "reference",
                "give either a FASTA file or referenceLength, not both",
            ))
        }
        (None, None) => {
            return Err(HelixError::option(
                "reference",
                "give a FASTA file or referenceLength",
            ))
        }
    };
    Ok(simulate_files::SimulateFiles {
        reference,
        reference_out: o.reference_out.map(PathBuf::from),
        reads: whole("reads", o.reads, 0.0, MAX_SAFE_INTEGER)?,
        read_options: read_options(
            o.read_length,
            None,
            o.insert_mean,
            o.insert_sd,
            o.error_rate,
        )?,
        mutation_options: simulate::MutationOptions {
            mutation_rate: rate("mutationRate", o.mutation_rate, 0.001)?,
            indel_fraction: rate("indelFraction", o.indel_fraction, 0.15)?,
        },
        seed: seed(o.seed)?,
        out: o.out.into(),
        out2: o.out2.map(PathBuf::from),
        truth: o.truth.map(PathBuf::from),
    })
}

/// Simulates to files, off the JavaScript thread: the reference (random or
/// FASTA; optionally written out), a mutated diploid sample (truth as VCF 4.3)
/// and reads as FASTQ (paired when `out2` is set). The same options give
/// byte-identical files. Bad options and inputs reject with a message naming
/// them. `onProgress` is called about ten times a second; aborting `signal`
/// rejects the promise.
#[napi(ts_return_type = "Promise<SimulateSummary>")]
pub fn simulate_to_files(
    options: SimulateFilesOptions,
    #[napi(ts_arg_type = "(progress: SimulateProgress) => void")] on_progress: Option<
        ProgressCallback,
    >,
    signal: Option<AbortSignal>,
) -> AsyncTask<SimulateTask> {
    let cancel = Arc::new(AtomicBool::new(false));
    if let Some(signal) = &signal {
        let cancel = Arc::clone(&cancel);
        signal.on_abort(move || cancel.store(true, Ordering::Relaxed));
    }
    let task = SimulateTask {
        options: Some(options),
        on_progress: on_progress.map(Arc::new),
        cancel,
    };
    AsyncTask::with_optional_signal(task, signal)
}
