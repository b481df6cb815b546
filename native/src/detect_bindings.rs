//! Node-API bindings of variant detection: the aligner index (shared by the
//! worker threads of a process through a registry of handles), the detector
//! each worker thread runs, the pileup and the variant caller.
//!
//! Bindings only: the algorithms live in [`crate::align`], [`crate::pileup`]
//! and [`crate::caller`], with their own tests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::{AsyncTask, Buffer, Uint8ArraySlice};
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::align::{self, BatchAlignments, IndexOptions, Mapper, MapperOptions, ReferenceIndex};
use crate::caller::{self, IncrementalCaller};
use crate::error::{self, to_js, HelixError};
use crate::js_options::{whole, MAX_SAFE_INTEGER};
use crate::pileup::{self, Coverage, Evidence, EvidenceOptions};
use crate::reference;
use crate::reference_bindings::{ContigInfo, Reference};

// ----------------------------------------------------------------- registry

/// Indexes that any thread of the process can open by handle. An entry keeps
/// its index alive until released; the JavaScript objects holding an index
/// keep it alive too, so a release never frees an index in use.
struct Registry {
    next_handle: u32,
    indexes: BTreeMap<u32, Arc<ReferenceIndex>>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next_handle: 1,
    indexes: BTreeMap::new(),
});

/// The registry; a panic while it was locked cannot leave it inconsistent
/// (every change is a single insert or remove), so poisoning is ignored.
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Registry {
    fn register(&mut self, index: Arc<ReferenceIndex>) -> u32 {
        let handle = self.next_handle;
        self.next_handle += 1;
        self.indexes.insert(handle, index);
        handle
    }

    fn open(&self, handle: u32) -> error::Result<Arc<ReferenceIndex>> {
        match self.indexes.get(&handle) {
            Some(index) => Ok(Arc::clone(index)),
            None if handle > 0 && handle < self.next_handle => Err(HelixError::option(
                "handle",
                format!("the aligner index with handle {handle} has been released"),
            )),
            None => Err(HelixError::option(
                "handle",
                format!(
                    "no aligner index has handle {handle} in this process (handles come from AlignerIndex.handle)"
                ),
            )),
        }
    }
}

// -------------------------------------------------------------------- index

/// Options of {@link AlignerIndex.build}.
#[napi(object)]
#[derive(Default)]
pub struct AlignerIndexOptions {
    /// Length of the indexed k-mers: odd, 11 to 31 (default 19). Longer seeds
    /// are more specific, shorter ones survive more sequencing errors.
    pub kmer_length: Option<f64>,
}

/// An alignment index of a reference, built once, shared by every detector
/// thread of the process.
///
/// To use it in a worker thread, post its `handle` (a number) and open it
/// there with {@link AlignerIndex.fromHandle}: both objects share one index in
/// memory.
#[napi]
pub struct AlignerIndex {
    inner: Arc<ReferenceIndex>,
    handle: u32,
}

/// Builds an aligner index off the JavaScript thread.
pub struct BuildIndex {
    reference: Arc<reference::Reference>,
    kmer_length: Option<f64>,
}

impl Task for BuildIndex {
    type Output = ReferenceIndex;
    type JsValue = AlignerIndex;

    fn compute(&mut self) -> Result<Self::Output> {
        let build = || -> error::Result<ReferenceIndex> {
            let kmer_length = match self.kmer_length {
                None => IndexOptions::default().kmer_length,
                // The index itself rejects even lengths, with the same message.
                Some(k) if k.fract() == 0.0 && (11.0..=31.0).contains(&k) => k as usize,
                Some(k) => {
                    return Err(HelixError::option(
                        "kmerLength",
                        format!("must be odd and between 11 and 31, got {k}"),
                    ))
                }
            };
            let contigs = self
                .reference
                .contigs
                .iter()
                .map(|c| (c.name.as_str(), c.sequence.as_slice()));
            Ok(ReferenceIndex::new(contigs, &IndexOptions { kmer_length })?)
        };
        build().map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, index: Self::Output) -> Result<Self::JsValue> {
        let inner = Arc::new(index);
        let handle = registry().register(Arc::clone(&inner));
        Ok(AlignerIndex { inner, handle })
    }
}

#[napi]
impl AlignerIndex {
    /// Builds the k-mer index of `reference` off the JavaScript thread and
    /// registers it under a new handle. Rejects when `kmerLength` is not odd
    /// and within 11–31, or the reference is longer than 2^31 − 1 bases.
    #[napi(ts_return_type = "Promise<AlignerIndex>")]
    pub fn build(
        reference: &Reference,
        options: Option<AlignerIndexOptions>,
    ) -> AsyncTask<BuildIndex> {
        AsyncTask::new(BuildIndex {
            reference: Arc::clone(&reference.inner),
            kmer_length: options.unwrap_or_default().kmer_length,
        })
    }

    /// A process-wide handle that another worker thread passes to
    /// {@link AlignerIndex.fromHandle} to share this index (no copy).
    #[napi(getter)]
    pub fn handle(&self) -> u32 {
        self.handle
    }

    /// Opens the index registered under `handle` (in any thread of this
    /// process). Throws when no index has that handle or it was released.
    #[napi(factory)]
    pub fn from_handle(handle: f64) -> Result<Self> {
        let open = || -> error::Result<Self> {
            let handle = whole("handle", handle, 0.0, f64::from(u32::MAX))? as u32;
            let inner = registry().open(handle)?;
            Ok(AlignerIndex { inner, handle })
        };
        open().map_err(to_js)
    }

    /// Drops the registry entry, so `fromHandle` no longer opens this index.
    /// The index itself lives on while JavaScript objects (this one, other
    /// threads' indexes, detectors, pileups) hold it. Safe to call twice.
    #[napi]
    pub fn release(&self) {
        registry().indexes.remove(&self.handle);
    }

    /// Contigs in reference order.
    #[napi(getter)]
    pub fn contigs(&self) -> Vec<ContigInfo> {
        (0..self.inner.contig_count())
            .map(|c| ContigInfo {
                name: self.inner.contig_name(c).to_string(),
                length: f64::from(self.inner.contig_length(c)),
            })
            .collect()
    }

    /// Total number of bases over all contigs.
    #[napi(getter)]
    pub fn total_length(&self) -> f64 {
        f64::from(self.inner.total_length())
    }

    /// Approximate memory held by the index (reference and k-mer table), in bytes.
    #[napi(getter)]
    pub fn memory_bytes(&self) -> f64 {
        self.inner.memory_bytes() as f64
    }
}

/// Index of the contig `name`, or an error naming it.
fn contig_id(index: &ReferenceIndex, name: &str) -> error::Result<usize> {
    index
        .contig_id(name)
        .ok_or_else(|| HelixError::option("contig", format!("no contig named '{name}'")))
}

/// Whether two indexes are over the same contigs (names and lengths), as
/// indexes built separately from one reference are.
fn same_contigs(a: &ReferenceIndex, b: &ReferenceIndex) -> bool {
    a.contig_count() == b.contig_count()
        && (0..a.contig_count()).all(|c| {
            a.contig_name(c) == b.contig_name(c) && a.contig_length(c) == b.contig_length(c)
        })
}

// ----------------------------------------------------------------- detector

/// Which reads and bases count as evidence.
#[napi(object)]
#[derive(Default)]
pub struct DetectorOptions {
    /// Reads mapped with a lower mapping quality (0–60) are ignored (default 20).
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
            evidence: Evidence::new(),
            options,
        })
    }

    /// Maps a batch in the producer's struct-of-arrays form (read `i` is
    /// `bases[offsets[i]..offsets[i + 1]]`, ASCII; `qualities` Phred+33 at the
    /// same positions), reading the arrays in place. Throws when the arrays
    /// disagree (lengths, offsets).
    #[napi]
    pub fn analyse<'env>(
        &mut self,
        env: &'env Env,
        bases: &[u8],
        qualities: &[u8],
        offsets: &[u32],
    ) -> Result<BatchDetection<'env>> {
        let batch =
            align::ReadBatch::new(bases, qualities, offsets).map_err(|e| to_js(e.into()))?;
        self.mapper
            .map_batch(&self.index, &batch, &mut self.alignments);
        self.evidence.clear();
        self.evidence
            .add_alignments(&self.index, &self.alignments, &self.options);
        let summary = self.alignments.summary();
        Ok(BatchDetection {
            reads: summary.reads,
            mapped_reads: summary.mapped,
            mutated_reads: summary.reads_with_events,
            mismatches: summary.mismatches,
            insertions: summary.insertions,
            deletions: summary.deletions,
            evidence: Uint8ArraySlice::copy_from(env, self.evidence.to_bytes())?,
        })
    }
}

// ------------------------------------------------------------------- pileup

/// Per-position evidence accumulated over batches, over one reference;
/// pileups of several threads merge into one.
#[napi]
pub struct Pileup {
    index: Arc<ReferenceIndex>,
    inner: pileup::Pileup,
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
}

// ------------------------------------------------------------------- caller

/// Thresholds a call must pass to be `CONFIRMED`.
#[napi(object)]
#[derive(Default)]
pub struct CallerOptions {
    /// Minimum depth (default 8).
    pub min_depth: Option<f64>,
    /// Minimum allele frequency, 0–1 (default 0.15).
    pub min_allele_frequency: Option<f64>,
    /// Minimum Phred quality (default 20).
    pub min_quality: Option<f64>,
}

/// Kind of a called variant.
#[napi(string_enum = "UPPERCASE")]
pub enum VariantType {
    /// Single-nucleotide variant.
    Snv,
    /// Inserted bases.
    Insertion,
    /// Deleted bases.
    Deletion,
}

/// Whether a call passes the caller's thresholds.
#[napi(string_enum = "UPPERCASE")]
pub enum VariantStatus {
    /// Seen, but not (yet) enough depth, allele frequency or quality.
    Candidate,
    /// Passes every threshold.
    Confirmed,
}

/// One called variant, in VCF convention (indels left-normalised, with the
/// anchor base before them).
#[napi(object)]
pub struct VariantCall {
    /// Contig name.
    pub contig: String,
    /// 1-based position (VCF `POS`; the anchor base for indels).
    pub position: u32,
    /// Reference allele (VCF `REF`).
    pub r#ref: String,
    /// Alternate allele (VCF `ALT`).
    pub alt: String,
    /// `SNV`, `INSERTION` or `DELETION`.
    pub r#type: VariantType,
    /// Reads that could show the allele (VCF `DP`).
    pub depth: u32,
    /// Reads showing the alternate allele.
    pub alt_count: u32,
    /// `altCount / depth`.
    pub allele_frequency: f64,
    /// Phred-scaled probability that the site is not variant (VCF `QUAL`, at most 999).
    pub quality: f64,
    /// `CONFIRMED` when it passes the caller's thresholds, else `CANDIDATE`.
    pub status: VariantStatus,
    /// Likelier diploid genotype (unphased).
    #[napi(ts_type = "'0/1' | '1/1'")]
    pub genotype: String,
}

impl From<caller::VariantCall> for VariantCall {
    fn from(call: caller::VariantCall) -> Self {
        VariantCall {
            contig: call.contig_name,
            position: call.position,
            r#ref: call.reference,
            alt: call.alternate,
            r#type: match call.variant_type {
                caller::VariantType::Snv => VariantType::Snv,
                caller::VariantType::Insertion => VariantType::Insertion,
                caller::VariantType::Deletion => VariantType::Deletion,
            },
            depth: call.depth,
            alt_count: call.alt_count,
            allele_frequency: call.allele_frequency,
            quality: call.quality,
            status: match call.status {
                caller::VariantStatus::Candidate => VariantStatus::Candidate,
                caller::VariantStatus::Confirmed => VariantStatus::Confirmed,
            },
            genotype: call.genotype.as_str().to_string(),
        }
    }
}

fn caller_options(o: CallerOptions) -> error::Result<caller::CallerOptions> {
    let defaults = caller::CallerOptions::default();
    let min_quality = o.min_quality.unwrap_or(defaults.min_quality);
    if !(min_quality.is_finite() && min_quality >= 0.0) {
        return Err(HelixError::option(
            "minQuality",
            format!("must be a number of at least 0, got {min_quality}"),
        ));
    }
    Ok(caller::CallerOptions {
        min_depth: match o.min_depth {
            Some(depth) => whole("minDepth", depth, 0.0, f64::from(u32::MAX))? as u32,
            None => defaults.min_depth,
        },
        min_allele_frequency: crate::js_options::rate(
            "minAlleleFrequency",
            o.min_allele_frequency,
            defaults.min_allele_frequency,
        )?,
        min_quality,
        ..defaults
    })
}

/// Calls variants from a pileup. `update` returns only the calls that are new
/// or changed status since its last update; `callAll` returns every call.
/// Calls are sorted by contig and position; alleles seen in too few reads to
/// be worth reporting (sequencing errors) are left out.
#[napi]
pub struct VariantCaller {
    inner: IncrementalCaller,
    /// The reference of the pileups `update` has seen.
    reference: Option<Arc<ReferenceIndex>>,
}

#[napi]
impl VariantCaller {
    /// A caller with the given thresholds; throws when one is out of range.
    #[napi(constructor)]
    pub fn new(options: Option<CallerOptions>) -> Result<Self> {
        let options = caller_options(options.unwrap_or_default()).map_err(to_js)?;
        Ok(Self {
            inner: IncrementalCaller::new(options),
            reference: None,
        })
    }

    /// Calls the pileup and returns the calls that became reportable or
    /// changed status (`CANDIDATE` ↔ `CONFIRMED`) since the previous update.
    /// Throws when the pileup is over another reference than earlier ones.
    #[napi]
    pub fn update(&mut self, pileup: &Pileup) -> Result<Vec<VariantCall>> {
        match &self.reference {
            Some(reference) if !same_contigs(reference, &pileup.index) => {
                return Err(to_js(HelixError::option(
                    "pileup",
                    "is over another reference than the pileups this caller has updated from",
                )));
            }
            Some(_) => {}
            None => self.reference = Some(Arc::clone(&pileup.index)),
        }
        let calls = self.inner.update(&pileup.inner, &pileup.index);
        Ok(calls.into_iter().map(VariantCall::from).collect())
    }

    /// Every reportable call of the pileup, candidates and confirmed.
    #[napi]
    pub fn call_all(&self, pileup: &Pileup) -> Vec<VariantCall> {
        caller::call_variants(&pileup.inner, &pileup.index, self.inner.options())
            .into_iter()
            .map(VariantCall::from)
            .collect()
    }

    /// The calls in a 1-based inclusive region of a contig (an `end` past the
    /// contig's end stops there). Throws on an unknown contig or `start < 1`
    /// or `end < start`.
    #[napi]
    pub fn call_region(
        &self,
        pileup: &Pileup,
        contig: String,
        start: f64,
        end: f64,
    ) -> Result<Vec<VariantCall>> {
        let region = || -> error::Result<(usize, u32, u32)> {
            let contig = contig_id(&pileup.index, &contig)?;
            let start = whole("start", start, 1.0, MAX_SAFE_INTEGER)?;
            let end = whole("end", end, start as f64, MAX_SAFE_INTEGER)?;
            let clamp = |p: u64| p.min(u64::from(u32::MAX)) as u32;
            Ok((contig, clamp(start - 1), clamp(end)))
        };
        let (contig, start, end) = region().map_err(to_js)?;
        let calls = caller::call_region(
            &pileup.inner,
            &pileup.index,
            self.inner.options(),
            contig,
            start,
            end,
        );
        Ok(calls.into_iter().map(VariantCall::from).collect())
    }
}
