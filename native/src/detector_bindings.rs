//! Bindings of the detector each worker thread runs: maps a batch and turns
//! its alignments into evidence. The algorithms live in [`crate::align`] and
//! [`crate::pileup`], with their own tests.

use std::sync::Arc;

use napi::bindgen_prelude::Uint8ArraySlice;
use napi::{Env, Result};
use napi_derive::napi;

use crate::align::{self, BatchAlignments, InsertSizeModel, Mapper, MapperOptions, ReferenceIndex};
use crate::error::to_js;
use crate::index_bindings::AlignerIndex;
use crate::js_options::whole;
use crate::pileup::{Evidence, EvidenceOptions};

/// Which reads and bases count as evidence.
#[napi(object)]
#[derive(Default)]
pub struct DetectorOptions {
    /// Reads mapped with a lower mapping quality (0–60) are ignored (default 0:
    /// none; coin-toss placements weigh as a base of quality 4); the others
    /// weigh no more than their MAPQ.
    pub min_mapping_quality: Option<f64>,
    /// Mismatching bases with a lower Phred quality are not counted as SNV
    /// support; the read still counts towards depth (default 13).
    pub min_base_quality: Option<f64>,
}

/// What {@link Detector.analyse} found in one batch.
#[napi(object, object_from_js = false)]
pub struct BatchDetection<'env> {
    /// Reads in the batch.
    pub reads: u32,
    /// Reads that mapped.
    pub mapped_reads: u32,
    /// Reads placed in proper pairs (mates at the library's distance,
    /// facing each other); 0 for single-end batches.
    pub properly_paired_reads: u32,
    /// Mapped reads with at least one mismatch, insertion or deletion.
    pub mutated_reads: u32,
    /// Mismatches over all mapped reads.
    pub mismatches: u32,
    /// Insertions over all mapped reads.
    pub insertions: u32,
    /// Deletions over all mapped reads.
    pub deletions: u32,
    /// The batch's evidence for {@link Pileup.add}, on its own `ArrayBuffer`:
    /// transfer it to the thread that holds the pileup with
    /// `postMessage(detection, [detection.evidence.buffer])`.
    #[napi(ts_type = "Uint8Array<ArrayBuffer>")]
    pub evidence: Uint8ArraySlice<'env>,
}

/// Maps reads and collects mutation evidence; one per worker thread (it keeps
/// scratch buffers between batches). Synchronous: run it in a worker thread.
#[napi]
pub struct Detector {
    index: Arc<ReferenceIndex>,
    mapper: Mapper,
    alignments: BatchAlignments,
    /// The library's template lengths, learned from the paired batches seen.
    insert_sizes: InsertSizeModel,
    evidence: Evidence,
    options: EvidenceOptions,
}

#[napi]
impl Detector {
    /// A detector over `index`; throws when an option is out of range.
    #[napi(constructor)]
    pub fn new(index: &AlignerIndex, options: Option<DetectorOptions>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let defaults = EvidenceOptions::default();
        let phred = |name: &str, value: Option<f64>, default: u8| {
            value.map_or(Ok(default), |v| whole(name, v, 0.0, 255.0).map(|v| v as u8))
        };
        let options = EvidenceOptions {
            min_mapping_quality: phred(
                "minMappingQuality",
                o.min_mapping_quality,
                defaults.min_mapping_quality,
            )
            .map_err(to_js)?,
            min_base_quality: phred(
                "minBaseQuality",
                o.min_base_quality,
                defaults.min_base_quality,
            )
            .map_err(to_js)?,
        };
        Ok(Self {
            index: Arc::clone(&index.inner),
            mapper: Mapper::new(MapperOptions::default()),
            alignments: BatchAlignments::default(),
            insert_sizes: InsertSizeModel::default(),
            evidence: Evidence::new(),
            options,
        })
    }

    /// Maps a batch in the producer's struct-of-arrays form (read `i` is
    /// `bases[offsets[i]..offsets[i + 1]]`, ASCII; `qualities` Phred+33 at the
    /// same positions), reading the arrays in place. A `paired` batch's reads
    /// `2k` and `2k + 1` are mates, placed as pairs. Throws when the arrays
    /// disagree (lengths, offsets).
    #[napi]
    pub fn analyse<'env>(
        &mut self,
        env: &'env Env,
        bases: &[u8],
        qualities: &[u8],
        offsets: &[u32],
        paired: Option<bool>,
    ) -> Result<BatchDetection<'env>> {
        let batch =
            align::ReadBatch::new(bases, qualities, offsets).map_err(|e| to_js(e.into()))?;
        let properly_paired_reads = if paired.unwrap_or(false) {
            self.mapper.map_pairs(
                &self.index,
                &batch,
                &mut self.insert_sizes,
                &mut self.alignments,
            )
        } else {
            self.mapper
                .map_batch(&self.index, &batch, &mut self.alignments);
            0
        };
        self.evidence.clear();
        self.evidence
            .add_alignments(&self.index, &self.alignments, &self.options);
        let summary = self.alignments.summary();
        Ok(BatchDetection {
            reads: summary.reads,
            mapped_reads: summary.mapped,
            properly_paired_reads,
            mutated_reads: summary.reads_with_events,
            mismatches: summary.mismatches,
            insertions: summary.insertions,
            deletions: summary.deletions,
            evidence: Uint8ArraySlice::copy_from(env, self.evidence.to_bytes())?,
        })
    }
}
