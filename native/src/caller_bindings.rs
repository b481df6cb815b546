//! Bindings of the variant caller: incremental updates, every call, or the
//! calls of one region. The algorithms live in [`crate::caller`], with their
//! own tests.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::{AsyncTask, Either, Null};
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::align::ReferenceIndex;
use crate::caller::{self, IncrementalCaller};
use crate::error::{self, to_js, HelixError};
use crate::index_bindings::{contig_id, same_contigs};
use crate::js_options::{rate, whole, MAX_SAFE_INTEGER};
use crate::pileup_bindings::{Pileup, SharedPileup};

/// Thresholds a call must pass to be `CONFIRMED`.
#[napi(object)]
#[derive(Default)]
pub struct CallerOptions {
    /// Minimum depth (default 3).
    pub min_depth: Option<f64>,
    /// Minimum allele frequency, 0–1 (default 0.15; 0.02 in population mode).
    pub min_allele_frequency: Option<f64>,
    /// Minimum Phred quality (default 20).
    pub min_quality: Option<f64>,
    /// Chromosome copies: 1 (haploid: bacteria, archaea, phages; genotype
    /// `1`) or 2 (diploid: `0/1` or `1/1`; the default).
    pub ploidy: Option<f64>,
    /// `germline` (default: genotypes) or `population` (allele frequencies
    /// of a mixed population, no genotype; `minAlleleFrequency` then
    /// defaults to 0.02).
    #[napi(ts_type = "'germline' | 'population'")]
    pub mode: Option<String>,
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
    /// Likelier genotype carrying the allele: `0/1` or `1/1` (unphased) when
    /// diploid, `1` when haploid; null in population mode.
    #[napi(ts_type = "'0/1' | '1/1' | '1' | null")]
    pub genotype: Either<String, Null>,
    /// Mean mapping quality of the reads showing the alternate allele (VCF `MQ`).
    pub mapping_quality: f64,
    /// Fraction of those reads with mapping quality 0 (VCF `MQ0F`).
    pub zero_mapping_quality_fraction: f64,
    /// Forward-strand reads showing the reference.
    pub forward_ref_count: u32,
    /// Reverse-strand reads showing the reference.
    pub reverse_ref_count: u32,
    /// Forward-strand reads showing the alternate allele (VCF `ADF`).
    pub forward_alt_count: u32,
    /// Reverse-strand reads showing the alternate allele (VCF `ADR`).
    pub reverse_alt_count: u32,
    /// Phred-scaled Fisher strand-bias p-value (VCF `INFO/SB`); null when one strand has no reads.
    #[napi(ts_type = "number | null")]
    pub strand_bias: Either<f64, Null>,
    /// Fraction of the alternate reads showing it within 10 bases of their read's end.
    pub read_end_fraction: f64,
    /// VCF `FILTER` values the call fails; empty when it passes (`PASS`).
    #[napi(ts_type = "Array<'LowQual' | 'LowDepth' | 'StrandBias'>")]
    pub filters: Vec<String>,
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
            genotype: match call.genotype {
                Some(genotype) => Either::A(genotype.as_str().to_string()),
                None => Either::B(Null),
            },
            mapping_quality: call.mapping_quality,
            zero_mapping_quality_fraction: call.zero_mapping_quality_fraction,
            forward_ref_count: call.strands.forward_ref,
            reverse_ref_count: call.strands.reverse_ref,
            forward_alt_count: call.strands.forward_alt,
            reverse_alt_count: call.strands.reverse_alt,
            strand_bias: match call.strand_bias {
                Some(phred) => Either::A(phred),
                None => Either::B(Null),
            },
            read_end_fraction: call.read_end_fraction,
            filters: call
                .filters
                .iter()
                .map(|filter| filter.as_str().to_string())
                .collect(),
        }
    }
}

/// Caller options from JavaScript, checked, with their defaults.
fn caller_options(o: CallerOptions) -> error::Result<caller::CallerOptions> {
    let defaults = calling_mode_defaults(o.mode.as_deref())?;
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
        min_allele_frequency: rate(
            "minAlleleFrequency",
            o.min_allele_frequency,
            defaults.min_allele_frequency,
        )?,
        min_quality,
        ploidy: match o.ploidy {
            Some(copies) => ploidy(copies)?,
            None => defaults.ploidy,
        },
        ..defaults
    })
}

/// The defaults of the `mode` option's calling mode.
fn calling_mode_defaults(mode: Option<&str>) -> error::Result<caller::CallerOptions> {
    match mode {
        None | Some("germline") => Ok(caller::CallerOptions::default()),
        Some("population") => Ok(caller::CallerOptions::population()),
        Some(other) => Err(HelixError::option(
            "mode",
            format!("must be 'germline' or 'population', got '{other}'"),
        )),
    }
}

/// The `ploidy` option: 1 or 2 chromosome copies, or an error naming it.
fn ploidy(copies: f64) -> error::Result<caller::Ploidy> {
    if copies == 1.0 {
        Ok(caller::Ploidy::Haploid)
    } else if copies == 2.0 {
        Ok(caller::Ploidy::Diploid)
    } else {
        Err(HelixError::option(
            "ploidy",
            format!("must be 1 (haploid) or 2 (diploid), got {copies}"),
        ))
    }
}

/// Calls variants from a pileup. `update` returns only the calls that are new,
/// changed status or moved since its last update; `callAll` returns every
/// call; both run off the JS thread. Calls are sorted by contig and
/// position; alleles seen in too few reads to be worth reporting (sequencing
/// errors) are left out.
#[napi]
pub struct VariantCaller {
    inner: Arc<Mutex<IncrementalCaller>>,
    options: caller::CallerOptions,
    /// The reference of the pileups `update` has seen.
    reference: Mutex<Option<Arc<ReferenceIndex>>>,
}

/// What a calling task does with the pileup it reads.
enum Calling {
    /// An incremental update of this caller.
    Update(Arc<Mutex<IncrementalCaller>>),
    /// Every call, with these thresholds.
    All(caller::CallerOptions),
}

/// Calls a pileup on a worker thread ({@link VariantCaller.update},
/// {@link VariantCaller.callAll}).
pub struct CallTask {
    calling: Calling,
    pileup: Arc<SharedPileup>,
    index: Arc<ReferenceIndex>,
}

impl Task for CallTask {
    type Output = Vec<VariantCall>;
    type JsValue = Vec<VariantCall>;

    fn compute(&mut self) -> Result<Self::Output> {
        let pileup = self.pileup.read();
        let calls = match &self.calling {
            Calling::Update(caller) => caller
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(&pileup, &self.index),
            Calling::All(options) => caller::call_variants(&pileup, &self.index, options),
        };
        Ok(calls.into_iter().map(VariantCall::from).collect())
    }

    fn resolve(&mut self, _env: Env, calls: Self::Output) -> Result<Self::JsValue> {
        Ok(calls)
    }
}

#[napi]
impl VariantCaller {
    /// A caller with the given thresholds; throws when one is out of range.
    #[napi(constructor)]
    pub fn new(options: Option<CallerOptions>) -> Result<Self> {
        let options = caller_options(options.unwrap_or_default()).map_err(to_js)?;
        Ok(Self {
            inner: Arc::new(Mutex::new(IncrementalCaller::new(options.clone()))),
            options,
            reference: Mutex::new(None),
        })
    }

    /// Calls the pileup off the JS thread and resolves to the calls that
    /// became reportable, changed status (`CANDIDATE` ↔ `CONFIRMED`), or,
    /// confirmed, whose depth grew by half or allele frequency moved by 0.1
    /// (with a quarter more depth) since they were last reported. Only the
    /// parts of the pileup changed since the previous update are looked at.
    /// Updates of one caller run one after another in the order they were
    /// asked for when each is awaited before the next. Throws when the
    /// pileup is over another reference than earlier ones.
    #[napi(ts_return_type = "Promise<Array<VariantCall>>")]
    pub fn update(&self, pileup: &Pileup) -> Result<AsyncTask<CallTask>> {
        let mut reference = self.reference.lock().unwrap_or_else(|e| e.into_inner());
        match &*reference {
            Some(reference) if !same_contigs(reference, &pileup.index) => {
                return Err(to_js(HelixError::option(
                    "pileup",
                    "is over another reference than the pileups this caller has updated from",
                )));
            }
            Some(_) => {}
            None => *reference = Some(Arc::clone(&pileup.index)),
        }
        Ok(AsyncTask::new(CallTask {
            calling: Calling::Update(Arc::clone(&self.inner)),
            pileup: Arc::clone(&pileup.shared),
            index: Arc::clone(&pileup.index),
        }))
    }

    /// Every reportable call of the pileup, candidates and confirmed,
    /// computed off the JS thread.
    #[napi(ts_return_type = "Promise<Array<VariantCall>>")]
    pub fn call_all(&self, pileup: &Pileup) -> AsyncTask<CallTask> {
        AsyncTask::new(CallTask {
            calling: Calling::All(self.options.clone()),
            pileup: Arc::clone(&pileup.shared),
            index: Arc::clone(&pileup.index),
        })
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
            &pileup.shared.read(),
            &pileup.index,
            &self.options,
            contig,
            start,
            end,
        );
        Ok(calls.into_iter().map(VariantCall::from).collect())
    }
}
