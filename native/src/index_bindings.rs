//! Bindings of the aligner index: built once off the JavaScript thread and
//! shared by the worker threads of a process through a registry of handles.
//! The algorithms live in [`crate::align`], with their own tests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::align::{IndexOptions, ReferenceIndex};
use crate::error::{self, to_js, HelixError};
use crate::js_options::whole;
use crate::reference;
use crate::reference_bindings::{ContigInfo, Reference};

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
    /// Registers `index` under a new handle.
    fn register(&mut self, index: Arc<ReferenceIndex>) -> u32 {
        let handle = self.next_handle;
        self.next_handle += 1;
        self.indexes.insert(handle, index);
        handle
    }

    /// The index registered under `handle`, or an error saying why not.
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

/// Options of {@link AlignerIndex.build}.
#[napi(object)]
#[derive(Default)]
pub struct AlignerIndexOptions {
    /// Length of the indexed k-mers: odd, 11 to 31 (default 19). Longer seeds
    /// are more specific, shorter ones survive more sequencing errors.
    pub kmer_length: Option<f64>,
    /// Names of the circular contigs: their ends join their starts, so reads
    /// align across the origin and a deletion may span it.
    pub circular: Option<Vec<String>>,
}

/// An alignment index of a reference, built once, shared by every detector
/// thread of the process.
///
/// To use it in a worker thread, post its `handle` (a number) and open it
/// there with {@link AlignerIndex.fromHandle}: both objects share one index in
/// memory.
#[napi]
pub struct AlignerIndex {
    pub(crate) inner: Arc<ReferenceIndex>,
    handle: u32,
}

/// Builds an aligner index off the JavaScript thread.
pub struct BuildIndex {
    reference: Arc<reference::Reference>,
    kmer_length: Option<f64>,
    circular: Vec<String>,
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
            let mut index = ReferenceIndex::new(
                contigs,
                &IndexOptions {
                    kmer_length,
                    ..IndexOptions::default()
                },
            )?;
            for name in &self.circular {
                let contig = index.contig_id(name).ok_or_else(|| {
                    HelixError::option(
                        "circular",
                        format!("names {name}, which is no contig of the reference"),
                    )
                })?;
                index.set_circular(contig);
            }
            Ok(index)
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
    /// and within 11–31, `circular` names no contig, or the reference is
    /// longer than 2^31 − 1 bases.
    #[napi(ts_return_type = "Promise<AlignerIndex>")]
    pub fn build(
        reference: &Reference,
        options: Option<AlignerIndexOptions>,
    ) -> AsyncTask<BuildIndex> {
        let options = options.unwrap_or_default();
        AsyncTask::new(BuildIndex {
            reference: Arc::clone(&reference.inner),
            kmer_length: options.kmer_length,
            circular: options.circular.unwrap_or_default(),
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
pub(crate) fn contig_id(index: &ReferenceIndex, name: &str) -> error::Result<usize> {
    index
        .contig_id(name)
        .ok_or_else(|| HelixError::option("contig", format!("no contig named '{name}'")))
}

/// Whether two indexes are over the same contigs (names and lengths), as
/// indexes built separately from one reference are.
pub(crate) fn same_contigs(a: &ReferenceIndex, b: &ReferenceIndex) -> bool {
    a.contig_count() == b.contig_count()
        && (0..a.contig_count()).all(|c| {
            a.contig_name(c) == b.contig_name(c) && a.contig_length(c) == b.contig_length(c)
        })
}
