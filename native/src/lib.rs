//! Node-API bindings of the Helix-Throttle native core. Bindings only: the
//! algorithms live in the plain Rust modules below, with their own tests.
//! Detection's bindings (index, detector, pileup, caller) are in
//! `detect_bindings.rs`.

#![deny(clippy::all)]

pub mod align;
pub mod annotate;
pub mod batch;
pub mod caller;
mod detect_bindings;
pub mod error;
pub mod fastq;
pub mod files;
pub mod pileup;
pub mod producer;
pub mod reference;
pub mod rng;
pub mod simulate;
pub mod simulate_files;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::{
    AbortSignal, AsyncTask, Buffer, Either, Object, ToNapiValue, Uint32ArraySlice, Uint8ArraySlice,
};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{sys, Env, Result, Status, Task};
use napi_derive::napi;

use crate::error::{to_js, HelixError};

/// Largest integer a JavaScript number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A whole number option within `min..=max`, or an error naming it.
fn whole(name: &str, value: f64, min: f64, max: f64) -> error::Result<u64> {
    if value.is_finite() && value.fract() == 0.0 && value >= min && value <= max {
        Ok(value as u64)
    } else {
        Err(HelixError::option(
            name,
            format!("must be a whole number between {min} and {max}, got {value}"),
        ))
    }
}

fn seed(value: Option<f64>) -> error::Result<u64> {
    whole("seed", value.unwrap_or(1.0), 0.0, MAX_SAFE_INTEGER)
}

fn rate(name: &str, value: Option<f64>, default: f64) -> error::Result<f64> {
    let value = value.unwrap_or(default);
    error::check_rate(name, value)?;
    Ok(value)
}

// ---------------------------------------------------------------- reference

/// Name and length of one reference sequence.
#[napi(object)]
pub struct ContigInfo {
    /// First word of the FASTA header.
    pub name: String,
    /// Number of bases.
    pub length: f64,
}

/// A reference genome: one or more contigs of upper-case `ACGTN` bases.
#[napi]
pub struct Reference {
    inner: Arc<reference::Reference>,
}

/// Loads a FASTA file off the JavaScript thread.
pub struct LoadFasta {
    path: PathBuf,
}

impl Task for LoadFasta {
    type Output = reference::Reference;
    type JsValue = Reference;

    fn compute(&mut self) -> Result<Self::Output> {
        reference::Reference::load_fasta(&self.path).map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> Result<Self::JsValue> {
        Ok(Reference {
            inner: Arc::new(output),
        })
    }
}

#[napi]
impl Reference {
    /// Loads a FASTA file (plain or gzip; any line width; lower case is made
    /// upper case and IUPAC ambiguity codes become `N`) on a worker thread.
    /// Rejects with a message naming the file, line and problem.
    #[napi(ts_return_type = "Promise<Reference>")]
    pub fn load_fasta(path: String) -> AsyncTask<LoadFasta> {
        AsyncTask::new(LoadFasta { path: path.into() })
    }

    /// Loads a FASTA file on the calling thread (see {@link Reference.loadFasta}).
    #[napi(factory)]
    pub fn load_fasta_sync(path: String) -> Result<Self> {
        let inner = reference::Reference::load_fasta(path.as_ref()).map_err(to_js)?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Parses FASTA text held in memory (plain, not gzip), e.g. a reference
    /// sent to a worker process; errors name `source` and the line.
    #[napi(factory)]
    pub fn parse_fasta(text: &[u8], source: String) -> Result<Self> {
        let inner = reference::Reference::parse_fasta(text, &source).map_err(to_js)?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// A random reference of `length` uniform `ACGT` bases in one contig
    /// (default name `random`), the same for the same seed.
    #[napi(factory)]
    pub fn random(length: f64, seed: f64, name: Option<String>) -> Result<Self> {
        let length = whole("referenceLength", length, 1.0, f64::from(u32::MAX)).map_err(to_js)?;
        let seed = self::seed(Some(seed)).map_err(to_js)?;
        let inner = reference::Reference::random(length, seed, name.as_deref().unwrap_or("random"))
            .map_err(to_js)?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// Contigs in file order.
    #[napi(getter)]
    pub fn contigs(&self) -> Vec<ContigInfo> {
        self.inner
            .contigs
            .iter()
            .map(|c| ContigInfo {
                name: c.name.clone(),
                length: c.sequence.len() as f64,
            })
            .collect()
    }

    /// Total number of bases over all contigs.
    #[napi(getter)]
    pub fn total_length(&self) -> f64 {
        self.inner.total_length() as f64
    }

    /// A copy of one contig's bases (ASCII `ACGTN`), by name or index.
    #[napi]
    pub fn sequence(&self, contig: Either<String, u32>) -> Result<Buffer> {
        let found = match &contig {
            Either::A(name) => self.inner.contigs.iter().find(|c| &c.name == name),
            Either::B(index) => self.inner.contigs.get(*index as usize),
        };
        match found {
            Some(c) => Ok(Buffer::from(c.sequence.clone())),
            None => Err(to_js(HelixError::option(
                "contig",
                format!("no contig {}", describe_contig(&contig)),
            ))),
        }
    }

    /// Writes the reference as FASTA (`lineWidth` bases per line, default 60;
    /// gzip when the path ends in `.gz`).
    #[napi]
    pub fn write_fasta(&self, path: String, line_width: Option<u32>) -> Result<()> {
        let mut out = files::Output::create(path.as_ref()).map_err(to_js)?;
        self.inner
            .write_fasta(&mut out, line_width.unwrap_or(60) as usize)
            .map_err(to_js)?;
        out.finish().map_err(to_js)
    }

    /// Makes a diploid sample by injecting SNVs and indels (1–10 bp) into both
    /// haplotypes, keeping the truth.
    #[napi]
    pub fn mutate(&self, options: Option<MutationOptions>) -> Result<MutatedSample> {
        let options = options.unwrap_or_default();
        let mutation = simulate::MutationOptions {
            mutation_rate: rate("mutationRate", options.mutation_rate, 0.001).map_err(to_js)?,
            indel_fraction: rate("indelFraction", options.indel_fraction, 0.15).map_err(to_js)?,
        };
        let seed = seed(options.seed).map_err(to_js)?;
        let sample = simulate::Sample::mutate(&self.inner, &mutation, seed).map_err(to_js)?;
        Ok(MutatedSample {
            inner: Arc::new(sample),
        })
    }
}

fn describe_contig(contig: &Either<String, u32>) -> String {
    match contig {
        Either::A(name) => format!("named '{name}'"),
        Either::B(index) => format!("at index {index}"),
    }
}

// ------------------------------------------------------------------ sample

/// How to mutate a reference.
#[napi(object)]
#[derive(Default)]
pub struct MutationOptions {
    /// Probability that a reference position starts a mutation (default 0.001).
    pub mutation_rate: Option<f64>,
    /// Fraction of mutations that are indels (default 0.15).
    pub indel_fraction: Option<f64>,
    /// Seed (a whole number, default 1).
    pub seed: Option<f64>,
}

/// One injected variant, in VCF convention.
#[napi(object)]
pub struct TruthVariant {
    /// Contig name.
    pub contig: String,
    /// 1-based position of the first reference base.
    pub position: f64,
    /// Reference allele (indels include the anchor base before them).
    pub r#ref: String,
    /// Alternate allele.
    pub alt: String,
    /// `SNV`, `INSERTION` or `DELETION`.
    #[napi(ts_type = "'SNV' | 'INSERTION' | 'DELETION'")]
    pub r#type: String,
    /// Phased genotype: `1|1`, `1|0` or `0|1`.
    #[napi(ts_type = "'1|1' | '1|0' | '0|1'")]
    pub genotype: String,
}

/// A diploid sample made from a reference, with the truth of what was injected.
#[napi]
pub struct MutatedSample {
    inner: Arc<simulate::Sample>,
}

#[napi]
impl MutatedSample {
    /// Injected variants, sorted by contig and position.
    #[napi(getter)]
    pub fn truth(&self) -> Vec<TruthVariant> {
        self.inner
            .truth
            .iter()
            .map(|v| TruthVariant {
                contig: self.inner.contigs[v.contig].name.clone(),
                position: v.position as f64,
                r#ref: String::from_utf8_lossy(&v.reference).into_owned(),
                alt: String::from_utf8_lossy(&v.alternate).into_owned(),
                r#type: v.kind().as_str().to_string(),
                genotype: v.genotype.as_vcf().to_string(),
            })
            .collect()
    }

    /// Number of injected variants.
    #[napi(getter)]
    pub fn variant_count(&self) -> u32 {
        self.inner.truth.len() as u32
    }

    /// A copy of haplotype `haplotype` (0 or 1) of a contig, by name or index.
    #[napi]
    pub fn haplotype(&self, contig: Either<String, u32>, haplotype: u32) -> Result<Buffer> {
        let found = match &contig {
            Either::A(name) => self.inner.contigs.iter().find(|c| &c.name == name),
            Either::B(index) => self.inner.contigs.get(*index as usize),
        };
        let Some(found) = found else {
            return Err(to_js(HelixError::option(
                "contig",
                format!("no contig {}", describe_contig(&contig)),
            )));
        };
        match found.haplotypes.get(haplotype as usize) {
            Some(h) => Ok(Buffer::from(h.clone())),
            None => Err(to_js(HelixError::option("haplotype", "must be 0 or 1"))),
        }
    }

    /// Writes the truth as VCF 4.3 (phased `GT`, `INFO/TYPE`; gzip when the
    /// path ends in `.gz`).
    #[napi]
    pub fn write_truth_vcf(&self, path: String) -> Result<()> {
        let mut out = files::Output::create(path.as_ref()).map_err(to_js)?;
        self.inner.write_truth_vcf(&mut out).map_err(to_js)?;
        out.finish().map_err(to_js)
    }
}

// ------------------------------------------------------------------- reads

/// How to sample reads.
#[napi(object)]
#[derive(Default)]
pub struct ReadOptions {
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
}

fn read_options(
    read_length: Option<f64>,
    paired: Option<bool>,
    insert_mean: Option<f64>,
    insert_sd: Option<f64>,
    error_rate: Option<f64>,
) -> error::Result<simulate::ReadOptions> {
    let cap = f64::from(u32::MAX / 4);
    Ok(simulate::ReadOptions {
        read_length: whole("readLength", read_length.unwrap_or(150.0), 1.0, cap)? as usize,
        paired: paired.unwrap_or(false),
        insert_mean: whole("insertMean", insert_mean.unwrap_or(500.0), 1.0, cap)? as u32,
        insert_sd: whole("insertSd", insert_sd.unwrap_or(50.0), 0.0, cap)? as u32,
        error_rate: rate("errorRate", error_rate, 0.001)?,
    })
}

/// A batch of reads as struct-of-arrays, every array backed by its own
/// `ArrayBuffer` (no per-read objects, no copies).
///
/// Read `i` is `bases.subarray(offsets[i], offsets[i + 1])` with qualities at
/// the same positions of `qualities` (Phred+33 ASCII, as in FASTQ) and name
/// `names.subarray(nameOffsets[i], nameOffsets[i + 1])` (ASCII, no `@`). In a
/// paired batch reads `2k` and `2k + 1` are mates.
///
/// To hand a batch to a worker without copying, transfer its buffers:
/// `worker.postMessage(batch, [batch.bases.buffer, batch.qualities.buffer,
/// batch.offsets.buffer, batch.names.buffer, batch.nameOffsets.buffer])`.
#[napi(object, object_from_js = false)]
pub struct ReadBatch<'env> {
    /// Position of the batch in its stream, from 0.
    pub sequence: f64,
    /// Index of the batch's first read in its stream, from 0.
    pub first_read: f64,
    /// Number of reads.
    pub reads: u32,
    /// Reads come in mate pairs.
    pub paired: bool,
    /// Bases of all reads back to back (ASCII `ACGTN`).
    #[napi(ts_type = "Uint8Array<ArrayBuffer>")]
    pub bases: Uint8ArraySlice<'env>,
    /// Phred+33 qualities, one per base.
    #[napi(ts_type = "Uint8Array<ArrayBuffer>")]
    pub qualities: Uint8ArraySlice<'env>,
    /// `reads + 1` offsets into `bases` and `qualities`.
    #[napi(ts_type = "Uint32Array<ArrayBuffer>")]
    pub offsets: Uint32ArraySlice<'env>,
    /// Read names back to back (ASCII).
    #[napi(ts_type = "Uint8Array<ArrayBuffer>")]
    pub names: Uint8ArraySlice<'env>,
    /// `reads + 1` offsets into `names`.
    #[napi(ts_type = "Uint32Array<ArrayBuffer>")]
    pub name_offsets: Uint32ArraySlice<'env>,
    /// Reads whose bases held characters other than `ACGTN` (IUPAC codes,
    /// read as `N`; `U`, read as `T`).
    pub ambiguous_reads: u32,
}

/// Copies a batch into JavaScript-owned (hence transferable) array buffers:
/// one copy per array, none per read.
fn read_batch<'env>(env: &'env Env, batch: &batch::Batch) -> Result<ReadBatch<'env>> {
    Ok(ReadBatch {
        sequence: batch.sequence as f64,
        first_read: batch.first_read as f64,
        reads: batch.len() as u32,
        paired: batch.paired,
        bases: Uint8ArraySlice::copy_from(env, &batch.bases)?,
        qualities: Uint8ArraySlice::copy_from(env, &batch.qualities)?,
        offsets: Uint32ArraySlice::copy_from(env, &batch.offsets)?,
        names: Uint8ArraySlice::copy_from(env, &batch.names)?,
        name_offsets: Uint32ArraySlice::copy_from(env, &batch.name_offsets)?,
        ambiguous_reads: batch.ambiguous_reads,
    })
}

/// A batch on its way to JavaScript; its memory goes back to the pool once
/// copied.
struct PendingBatch {
    batch: batch::Batch,
    pool: Arc<batch::BatchPool>,
}

impl ToNapiValue for PendingBatch {
    unsafe fn to_napi_value(raw_env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let js = read_batch(&env, &value.batch)?;
        let result = unsafe { ReadBatch::to_napi_value(raw_env, js) };
        value.pool.give(value.batch);
        result
    }
}

/// Samples reads from a mutated sample on the calling thread, deterministically
/// from the seed: the same seed gives the same reads however they are batched.
#[napi]
pub struct ReadSimulator {
    inner: simulate::ReadSimulator,
    scratch: batch::Batch,
}

#[napi]
impl ReadSimulator {
    /// A simulator over `sample`; throws when the read length exceeds every
    /// sequence or an option is out of range.
    #[napi(constructor)]
    pub fn new(sample: &MutatedSample, options: Option<ReadOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let read_options = read_options(
            o.read_length,
            o.paired,
            o.insert_mean,
            o.insert_sd,
            o.error_rate,
        )
        .map_err(to_js)?;
        let seed = seed(o.seed).map_err(to_js)?;
        let inner = simulate::ReadSimulator::new(Arc::clone(&sample.inner), read_options, seed)
            .map_err(to_js)?;
        Ok(Self {
            inner,
            scratch: batch::Batch::default(),
        })
    }

    /// Simulates `fragments` reads (pairs when paired) into one batch.
    #[napi]
    pub fn next_batch<'env>(&mut self, env: &'env Env, fragments: u32) -> Result<ReadBatch<'env>> {
        self.inner.fill_batch(&mut self.scratch, fragments as usize);
        read_batch(env, &self.scratch)
    }

    /// Fragments (reads, or pairs) simulated so far.
    #[napi(getter)]
    pub fn fragments_simulated(&self) -> f64 {
        self.inner.fragments() as f64
    }
}

// ---------------------------------------------------------------- producer

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

// ---------------------------------------------------------- simulate files

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
