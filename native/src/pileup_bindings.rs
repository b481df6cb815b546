//! Bindings of the pileup: evidence added from any thread's detector, merged,
//! serialised, queried. The algorithms live in [`crate::pileup`], with their
//! own tests.

use std::sync::Arc;

use napi::bindgen_prelude::Buffer;
use napi::Result;
use napi_derive::napi;

use crate::align::ReferenceIndex;
use crate::error::{self, to_js, HelixError};
use crate::index_bindings::{contig_id, same_contigs, AlignerIndex};
use crate::js_options::whole;
use crate::pileup::{self, Coverage, Evidence};

/// How deep and how wide the reads cover the reference ({@link Pileup.depthSummary}).
#[napi(object)]
pub struct DepthSummary {
    /// Positions of the reference (all contigs).
    pub positions: f64,
    /// Mean depth over every position, as {@link Pileup.depth} counts it.
    pub mean_depth: f64,
    /// Fraction of positions (0–1) covered by at least one read.
    #[napi(js_name = "breadth1x")]
    pub breadth1x: f64,
    /// Fraction of positions (0–1) covered by at least ten reads.
    #[napi(js_name = "breadth10x")]
    pub breadth10x: f64,
}

/// Per-position evidence accumulated over batches, over one reference;
/// pileups of several threads merge into one.
#[napi]
pub struct Pileup {
    pub(crate) index: Arc<ReferenceIndex>,
    pub(crate) inner: pileup::Pileup,
    /// Depths summed up for {@link Pileup.depth}, until the next change.
    coverage: Option<Coverage>,
}

#[napi]
impl Pileup {
    /// An empty pileup over `index`'s reference.
    #[napi(constructor)]
    pub fn new(index: &AlignerIndex) -> Self {
        Self {
            index: Arc::clone(&index.inner),
            inner: pileup::Pileup::new(&index.inner),
            coverage: None,
        }
    }

    /// Adds a batch's evidence ({@link BatchDetection.evidence}, made against
    /// this pileup's reference). Throws when the bytes are not evidence.
    #[napi]
    pub fn add(&mut self, evidence: &[u8]) -> Result<()> {
        let evidence =
            Evidence::from_bytes(evidence).map_err(|e| to_js(HelixError::pileup("evidence", e)))?;
        self.inner.add(&evidence);
        self.coverage = None;
        Ok(())
    }

    /// Adds everything `other` holds; throws when `other` is over other
    /// contigs or is this pileup.
    #[napi]
    pub fn merge(&mut self, other: &Pileup) -> Result<()> {
        if !same_contigs(&self.index, &other.index) {
            return Err(to_js(HelixError::option(
                "other",
                "is over another reference (contig names or lengths differ)",
            )));
        }
        self.inner
            .merge(&other.inner)
            .map_err(|e| to_js(HelixError::pileup("other", e)))?;
        self.coverage = None;
        Ok(())
    }

    /// Serialises the pileup (for a checkpoint or another process).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        Buffer::from(self.inner.to_bytes())
    }

    /// Decodes what {@link Pileup.toBytes} wrote, over `index`'s reference.
    /// Throws when the bytes are malformed or from a pileup over other contigs.
    #[napi(factory)]
    pub fn from_bytes(index: &AlignerIndex, bytes: &[u8]) -> Result<Self> {
        let decode = || -> error::Result<Self> {
            let decoded =
                pileup::Pileup::from_bytes(bytes).map_err(|e| HelixError::pileup("bytes", e))?;
            // Merging into an empty pileup over `index` checks the contig layout.
            let mut inner = pileup::Pileup::new(&index.inner);
            inner
                .merge(&decoded)
                .map_err(|e| HelixError::pileup("bytes", e))?;
            Ok(Self {
                index: Arc::clone(&index.inner),
                inner,
                coverage: None,
            })
        };
        decode().map_err(to_js)
    }

    /// Depth at 1-based `position` of `contig`: reads spanning it with a few
    /// bases to spare, as an SNV call's `depth` (an indel's counts reads with
    /// more to spare). The first call after a change sums the depths of the
    /// whole reference; later calls look them up.
    #[napi]
    pub fn depth(&mut self, contig: String, position: f64) -> Result<u32> {
        let global = || -> error::Result<u32> {
            let contig = contig_id(&self.index, &contig)?;
            let length = f64::from(self.index.contig_length(contig));
            let position = whole("position", position, 1.0, length)? as u32;
            Ok(self.index.to_global(contig, position - 1))
        };
        let global = global().map_err(to_js)?;
        let coverage = match &mut self.coverage {
            Some(coverage) => coverage,
            empty => empty.insert(self.inner.coverage()),
        };
        Ok(coverage.depth(global))
    }

    /// Reads added so far, mapped or not.
    #[napi(getter)]
    pub fn reads(&self) -> f64 {
        self.inner.reads() as f64
    }

    /// Mean depth and breadth (≥ 1×, ≥ 10×) over the whole reference, from
    /// the depths {@link Pileup.depth} reads (summed up once per change).
    #[napi]
    pub fn depth_summary(&mut self) -> DepthSummary {
        let coverage = match &mut self.coverage {
            Some(coverage) => coverage,
            empty => empty.insert(self.inner.coverage()),
        };
        let depths = coverage.depths();
        let positions = depths.len() as f64;
        let (mut total, mut covered, mut deep) = (0u64, 0u64, 0u64);
        for &depth in depths {
            total += u64::from(depth);
            covered += u64::from(depth >= 1);
            deep += u64::from(depth >= 10);
        }
        let fraction = |count: u64| {
            if positions > 0.0 {
                count as f64 / positions
            } else {
                0.0
            }
        };
        DepthSummary {
            positions,
            mean_depth: fraction(total),
            breadth1x: fraction(covered),
            breadth10x: fraction(deep),
        }
    }
}
