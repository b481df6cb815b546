//! Bindings of the aligner index: built once off the JavaScript thread and
//! shared by the worker threads of a process through a registry of handles.
//! The algorithms live in [`crate::align`], with their own tests.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use std::path::PathBuf;

use napi::bindgen_prelude::AsyncTask;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Result, Status, Task};
use napi_derive::napi;

use crate::align::{self, IndexOptions, IndexProgress, IndexStage, ReferenceIndex, StoredIndex};
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
    /// The file the reference was read from (FASTA or GenBank). The index is
    /// then saved (see `indexDir`) and memory-mapped from there by later
    /// builds, so a large genome is indexed once; it is rebuilt when the
    /// file's size or modification time, the bases, the options or the
    /// circular contigs differ, or the file is damaged.
    pub reference_path: Option<String>,
    /// The directory the index of `referencePath` is saved in and mapped
    /// from, as `<name>.<hash of its path>.hix`. Without it the index is
    /// saved beside the reference as `<referencePath>.hix`, or, when that
    /// directory cannot be written, under `$XDG_CACHE_HOME/helix/indexes`
    /// (`~/.cache/helix/indexes`).
    pub index_dir: Option<String>,
}

/// Progress of {@link AlignerIndex.build}.
#[napi(object)]
pub struct AlignerIndexProgress {
    /// `checking` a saved index, `sampling` the reference's k-mers (in
    /// bases), `bucketing` the tables (in tables) or `saving` the index file
    /// (in bytes).
    pub stage: String,
    /// Work done in this stage.
    pub done: f64,
    /// Work of the whole stage.
    pub total: f64,
}

/// The `onProgress` callback, called from the build's threads.
type ProgressCallback =
    ThreadsafeFunction<AlignerIndexProgress, (), AlignerIndexProgress, Status, false>;

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
    /// How the index was obtained (`None` when opened by handle).
    stored: Option<StoredOrigin>,
}

/// How a built index was obtained: mapped or built, saved or not.
struct StoredOrigin {
    mapped: bool,
    file: Option<PathBuf>,
    rebuilt_because: Option<String>,
    warnings: Vec<String>,
}

/// Builds an aligner index off the JavaScript thread.
pub struct BuildIndex {
    reference: Arc<reference::Reference>,
    kmer_length: Option<f64>,
    circular: Vec<String>,
    reference_path: Option<PathBuf>,
    index_dir: Option<PathBuf>,
    on_progress: Option<Arc<ProgressCallback>>,
}

/// The name of an index build stage in {@link AlignerIndexProgress}.
fn stage_name(stage: IndexStage) -> &'static str {
    match stage {
        IndexStage::Checking => "checking",
        IndexStage::Sampling => "sampling",
        IndexStage::Bucketing => "bucketing",
        IndexStage::Saving => "saving",
    }
}

impl Task for BuildIndex {
    type Output = StoredIndex;
    type JsValue = AlignerIndex;

    fn compute(&mut self) -> Result<Self::Output> {
        let callback = self.on_progress.clone();
        let progress = move |p: IndexProgress| {
            if let Some(callback) = &callback {
                let progress = AlignerIndexProgress {
                    stage: stage_name(p.stage).into(),
                    done: p.done as f64,
                    total: p.total as f64,
                };
                callback.call(progress, ThreadsafeFunctionCallMode::NonBlocking);
            }
        };
        let build = || -> error::Result<StoredIndex> {
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
            let contigs = &self.reference.contigs;
            let circular = self
                .circular
                .iter()
                .map(|name| {
                    contigs.iter().position(|c| &c.name == name).ok_or_else(|| {
                        HelixError::option(
                            "circular",
                            format!("names {name}, which is no contig of the reference"),
                        )
                    })
                })
                .collect::<error::Result<Vec<usize>>>()?;
            // A loaded reference's contigs lie end to end in one buffer: the
            // index shares it rather than holding a second copy (1 B/base).
            let concatenated = match align::share_contigs(
                contigs.iter().map(|c| (c.name.as_str(), &c.sequence)),
            ) {
                Some(shared) => shared,
                None => {
                    align::concatenate(contigs.iter().map(|c| (c.name.as_str(), &*c.sequence)))?
                }
            };
            let options = IndexOptions {
                kmer_length,
                ..IndexOptions::default()
            };
            if let Some(path) = &self.reference_path {
                return Ok(align::open_or_build_concatenated(
                    path,
                    self.index_dir.as_deref(),
                    concatenated,
                    &circular,
                    &options,
                    &progress,
                )?);
            }
            let mut index = ReferenceIndex::from_concatenated(concatenated, &options, &progress)?;
            for &contig in &circular {
                index.set_circular(contig);
            }
            Ok(StoredIndex {
                index,
                mapped: false,
                file: None,
                rebuilt_because: None,
                warnings: Vec::new(),
            })
        };
        build().map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, stored: Self::Output) -> Result<Self::JsValue> {
        let inner = Arc::new(stored.index);
        let handle = registry().register(Arc::clone(&inner));
        let stored = StoredOrigin {
            mapped: stored.mapped,
            file: stored.file,
            rebuilt_because: stored.rebuilt_because,
            warnings: stored.warnings,
        };
        Ok(AlignerIndex {
            inner,
            handle,
            stored: Some(stored),
        })
    }
}

#[napi]
impl AlignerIndex {
    /// Builds the seed index of `reference` off the JavaScript thread (on
    /// all cores), or maps it from its saved file (see `indexDir`), and registers it
    /// under a new handle. `onProgress` is called from time to time during
    /// the build. Rejects when `kmerLength` is not odd and within 11–31,
    /// `circular` names no contig, or the reference is longer than
    /// 2^31 − 1 bases; a saved index that cannot be used or written is no
    /// error (see `warnings`).
    #[napi(ts_return_type = "Promise<AlignerIndex>")]
    pub fn build(
        reference: &Reference,
        options: Option<AlignerIndexOptions>,
        #[napi(ts_arg_type = "(progress: AlignerIndexProgress) => void")] on_progress: Option<
            ProgressCallback,
        >,
    ) -> AsyncTask<BuildIndex> {
        let options = options.unwrap_or_default();
        AsyncTask::new(BuildIndex {
            reference: Arc::clone(&reference.inner),
            kmer_length: options.kmer_length,
            circular: options.circular.unwrap_or_default(),
            reference_path: options.reference_path.map(PathBuf::from),
            index_dir: options.index_dir.map(PathBuf::from),
            on_progress: on_progress.map(Arc::new),
        })
    }

    /// Whether the index was memory-mapped from a saved `.hix` file rather
    /// than built.
    #[napi(getter)]
    pub fn mapped(&self) -> bool {
        self.stored.as_ref().is_some_and(|s| s.mapped)
    }

    /// The `.hix` file the index was mapped from or saved to, `null` when it
    /// is held in memory only.
    #[napi(getter)]
    pub fn index_file(&self) -> Option<String> {
        let file = self.stored.as_ref()?.file.as_ref()?;
        Some(file.display().to_string())
    }

    /// Why a saved `.hix` file was not used, `null` when none existed or it
    /// was.
    #[napi(getter)]
    pub fn rebuilt_because(&self) -> Option<String> {
        self.stored.as_ref()?.rebuilt_because.clone()
    }

    /// What went wrong with the saved index (a damaged file rebuilt, a
    /// directory the index could not be saved in), for the caller to log.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.stored
            .as_ref()
            .map_or_else(Vec::new, |s| s.warnings.clone())
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
            Ok(AlignerIndex {
                inner,
                handle,
                stored: None,
            })
        };
        open().map_err(to_js)
    }

    /// Drops the pages of the mapped `.hix` file from this process's resident
    /// memory (a no-op for an index built in memory and not saved): call it
    /// when no more reads will be aligned for a while, e.g. at a run's end,
    /// before its calls are made. Seed lookups still work afterwards, reading
    /// the pages back from the page cache or the disk.
    #[napi]
    pub fn drop_resident_pages(&self) -> Result<()> {
        self.inner
            .drop_resident_pages()
            .map_err(|e| to_js(HelixError::io("the mapped aligner index", e)))
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

    /// Memory held by the index (reference, circular copies and seed tables,
    /// mapped or not), in bytes.
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
