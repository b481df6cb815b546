//! Bindings of the read simulator and of the read batches every source
//! hands to JavaScript.

use std::sync::Arc;

use napi::bindgen_prelude::{ToNapiValue, Uint32ArraySlice, Uint8ArraySlice};
use napi::{sys, Env, Result};
use napi_derive::napi;

use crate::error::{self, to_js};
use crate::js_options::{rate, seed, whole};
use crate::sample_bindings::MutatedSample;
use crate::{batch, simulate};

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

/// Read options from JavaScript, checked, with their defaults.
pub(crate) fn read_options(
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
pub(crate) struct PendingBatch {
    pub(crate) batch: batch::Batch,
    pub(crate) pool: Arc<batch::BatchPool>,
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
