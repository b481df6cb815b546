//! Bindings of the pileup: evidence added from any thread's detector, merged,
//! serialised, queried. The algorithms live in [`crate::pileup`], with their
//! own tests.

use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use napi::bindgen_prelude::Buffer;
use napi::Result;
use napi_derive::napi;

use crate::align::ReferenceIndex;
use crate::error::{self, to_js, HelixError};
use crate::index_bindings::{contig_id, same_contigs, AlignerIndex};
use crate::js_options::whole;
use crate::pileup::{self, DepthBinner, Evidence, LowDepthRuns};

/// What a pileup holds in memory ({@link Pileup.memory}).
#[napi(object)]
pub struct PileupMemory {
    /// Every byte it holds: chunks, alleles, bookkeeping.
    pub total_bytes: f64,
    /// Chunks of 1,024 bases allocated (touched by a read).
    pub chunks: f64,
    /// Bytes of read start and end events (and dense depths where reads are deep).
    pub depth_bytes: f64,
    /// SNV alleles one read showed (most of them sequencing errors).
    pub snvs_seen_once: f64,
    /// Bytes those take.
    pub snvs_seen_once_bytes: f64,
    /// SNV alleles more than one read showed.
    pub snvs_seen_more: f64,
    /// Bytes those take.
    pub snvs_seen_more_bytes: f64,
    /// Indel alleles.
    pub indels: f64,
}

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
    /// Fraction of positions (0–1) covered by at least a hundred reads.
    #[napi(js_name = "breadth100x")]
    pub breadth100x: f64,
}

/// Depth along a stretch of one contig in fixed-size bins
/// ({@link Pileup.coverageBins}).
#[napi(object)]
pub struct CoverageBins {
    /// The contig's name.
    pub contig: String,
    /// First position (1-based) of the stretch.
    pub from: u32,
    /// Last position (1-based, inclusive) of the stretch.
    pub to: u32,
    /// Bases per bin; the last bin may hold fewer.
    pub bin_size: u32,
    /// Mean depth of each bin, `ceil((to − from + 1) / binSize)` of them.
    pub depths: Vec<f64>,
    /// Largest depth of each bin.
    pub max_depths: Vec<f64>,
}

/// A maximal stretch of one contig below a depth
/// ({@link Pileup.lowDepthIntervals}).
#[napi(object)]
pub struct DepthInterval {
    /// The contig's name.
    pub contig: String,
    /// First position (1-based).
    pub start: u32,
    /// Last position (1-based, inclusive).
    pub end: u32,
}

/// A pileup shared between the JS thread, which adds to it, and the calling
/// tasks that read it off that thread. Evidence added while a task reads
/// waits in `pending` (the JS thread never waits for a task); every read
/// first folds in what waits, when no task holds the pileup.
#[derive(Debug)]
pub(crate) struct SharedPileup {
    pileup: RwLock<pileup::Pileup>,
    pending: Mutex<Vec<Evidence>>,
}

impl SharedPileup {
    fn new(pileup: pileup::Pileup) -> Self {
        SharedPileup {
            pileup: RwLock::new(pileup),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Folds the waiting evidence (and `evidence`) in if no reader holds
    /// the pileup, else leaves it waiting.
    fn add(&self, evidence: Option<Evidence>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.extend(evidence);
        if pending.is_empty() {
            return;
        }
        if let Ok(mut pileup) = self.pileup.try_write() {
            for evidence in pending.drain(..) {
                pileup.add(&evidence);
            }
        }
    }

    /// The pileup to read, with the waiting evidence folded in when it can
    /// be without waiting.
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, pileup::Pileup> {
        self.add(None);
        self.pileup.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The pileup to change, once no task reads it.
    fn write(&self) -> RwLockWriteGuard<'_, pileup::Pileup> {
        let mut pileup = self.pileup.write().unwrap_or_else(|e| e.into_inner());
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        for evidence in pending.drain(..) {
            pileup.add(&evidence);
        }
        pileup
    }
}

/// Per-position evidence accumulated over batches, over one reference;
/// pileups of several threads merge into one. Stored in chunks of 1,024
/// bases allocated when a read first touches them; calling reads it off
/// the JS thread ({@link VariantCaller.update}).
#[napi]
pub struct Pileup {
    pub(crate) index: Arc<ReferenceIndex>,
    pub(crate) shared: Arc<SharedPileup>,
}

#[napi]
impl Pileup {
    /// An empty pileup over `index`'s reference.
    #[napi(constructor)]
    pub fn new(index: &AlignerIndex) -> Self {
        Self {
            index: Arc::clone(&index.inner),
            shared: Arc::new(SharedPileup::new(pileup::Pileup::new(&index.inner))),
        }
    }

    /// Adds a batch's evidence ({@link BatchDetection.evidence}, made against
    /// this pileup's reference). Throws when the bytes are not evidence.
    /// While a call reads the pileup the evidence waits, and goes in with
    /// the next add or read.
    #[napi]
    pub fn add(&self, evidence: &[u8]) -> Result<()> {
        let evidence =
            Evidence::from_bytes(evidence).map_err(|e| to_js(HelixError::pileup("evidence", e)))?;
        self.shared.add(Some(evidence));
        Ok(())
    }

    /// Adds everything `other` holds; throws when `other` is over other
    /// contigs or is this pileup. Waits for a call reading this pileup to
    /// finish.
    #[napi]
    pub fn merge(&self, other: &Pileup) -> Result<()> {
        if !same_contigs(&self.index, &other.index) {
            return Err(to_js(HelixError::option(
                "other",
                "is over another reference (contig names or lengths differ)",
            )));
        }
        if Arc::ptr_eq(&self.shared, &other.shared) {
            return Err(to_js(HelixError::option("other", "is this pileup")));
        }
        let theirs = other.shared.read();
        self.shared
            .write()
            .merge(&theirs)
            .map_err(|e| to_js(HelixError::pileup("other", e)))
    }

    /// Serialises the pileup (for a checkpoint or another process).
    #[napi]
    pub fn to_bytes(&self) -> Buffer {
        Buffer::from(self.shared.read().to_bytes())
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
                shared: Arc::new(SharedPileup::new(inner)),
            })
        };
        decode().map_err(to_js)
    }

    /// Depth at 1-based `position` of `contig`: reads spanning it with a few
    /// bases to spare, as an SNV call's `depth` (an indel's counts reads with
    /// more to spare).
    #[napi]
    pub fn depth(&self, contig: String, position: f64) -> Result<u32> {
        let global = || -> error::Result<u32> {
            let contig = contig_id(&self.index, &contig)?;
            let length = f64::from(self.index.contig_length(contig));
            let position = whole("position", position, 1.0, length)? as u32;
            Ok(self.index.to_global(contig, position - 1))
        };
        let global = global().map_err(to_js)?;
        Ok(self
            .shared
            .read()
            .coverage(global..global + 1)
            .depth(global))
    }

    /// Depth ({@link Pileup.depth}) over 1-based positions `from..=to` of
    /// `contig`, split into `bins` bins of `max(1, ceil((to − from + 1) /
    /// bins))` bases, with the mean and the maximum of each. Throws for an
    /// unknown contig, positions outside it, `from` > `to` or fewer than one
    /// bin.
    #[napi]
    pub fn coverage_bins(
        &self,
        contig: String,
        from: f64,
        to: f64,
        bins: f64,
    ) -> Result<CoverageBins> {
        let stretch = || -> error::Result<(u32, u32, u32, u32)> {
            let id = contig_id(&self.index, &contig)?;
            let length = f64::from(self.index.contig_length(id));
            let from = whole("from", from, 1.0, length)? as u32;
            let to = whole("to", to, 1.0, length)? as u32;
            if from > to {
                return Err(HelixError::option(
                    "from",
                    format!("must not be after to ({to}), got {from}"),
                ));
            }
            let bins = whole("bins", bins, 1.0, f64::from(u32::MAX))? as u32;
            Ok((self.index.to_global(id, from - 1), from, to, bins))
        };
        let (start, from, to, bins) = stretch().map_err(to_js)?;
        let mut binned = DepthBinner::new(to - from + 1, bins);
        self.shared
            .read()
            .for_each_depth(start..start + to - from + 1, &mut |_, depths| {
                binned.push(depths)
            });
        let binned = binned.finish();
        Ok(CoverageBins {
            contig,
            from,
            to,
            bin_size: binned.bin_size,
            depths: binned.means,
            max_depths: binned.maxima.into_iter().map(f64::from).collect(),
        })
    }

    /// Maximal stretches of every contig, in reference order, where the depth
    /// ({@link Pileup.depth}) is below `minDepth` (a whole contig when no
    /// read covers it; none for a `minDepth` of 0). Throws when `minDepth` is
    /// not a whole number from 0 to 2^32 − 1.
    #[napi]
    pub fn low_depth_intervals(&self, min_depth: f64) -> Result<Vec<DepthInterval>> {
        let min_depth =
            whole("minDepth", min_depth, 0.0, f64::from(u32::MAX)).map_err(to_js)? as u32;
        let pileup = self.shared.read();
        let mut intervals = Vec::new();
        for contig in 0..self.index.contig_count() {
            let offset = self.index.contig_offset(contig);
            let length = self.index.contig_length(contig);
            let name = self.index.contig_name(contig);
            let mut runs = LowDepthRuns::new(min_depth);
            pileup.for_each_depth(offset..offset + length, &mut |_, depths| runs.push(depths));
            intervals.extend(runs.finish().into_iter().map(|(start, end)| DepthInterval {
                contig: name.to_owned(),
                start: start + 1,
                end,
            }));
        }
        Ok(intervals)
    }

    /// Reads added so far, mapped or not.
    #[napi(getter)]
    pub fn reads(&self) -> f64 {
        self.shared.read().reads() as f64
    }

    /// What the pileup holds in memory, part by part.
    #[napi(getter)]
    pub fn memory(&self) -> PileupMemory {
        let memory = self.shared.read().memory();
        PileupMemory {
            total_bytes: memory.total as f64,
            chunks: memory.chunks as f64,
            depth_bytes: memory.depth_bytes as f64,
            snvs_seen_once: memory.snvs_seen_once as f64,
            snvs_seen_once_bytes: memory.snv_once_bytes as f64,
            snvs_seen_more: memory.snvs_seen_more as f64,
            snvs_seen_more_bytes: memory.snv_more_bytes as f64,
            indels: memory.indels as f64,
        }
    }

    /// Mean depth and breadth (≥ 1×, ≥ 10×, ≥ 100×) over the whole
    /// reference, from the depths {@link Pileup.depth} reads, summed up one
    /// chunk at a time.
    #[napi]
    pub fn depth_summary(&self) -> DepthSummary {
        let pileup = self.shared.read();
        let positions = f64::from(pileup.total_length());
        let (mut total, mut covered, mut deep, mut deeper) = (0u64, 0u64, 0u64, 0u64);
        for chunk in (0..pileup.chunk_count()).filter(|&c| pileup.is_touched(c)) {
            pileup.for_each_depth(pileup.chunk_range(chunk), &mut |_, depths| {
                for &depth in depths {
                    total += u64::from(depth);
                    covered += u64::from(depth >= 1);
                    deep += u64::from(depth >= 10);
                    deeper += u64::from(depth >= 100);
                }
            });
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
            breadth100x: fraction(deeper),
        }
    }
}
