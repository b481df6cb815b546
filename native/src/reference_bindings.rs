//! Bindings of the reference genome: loading, parsing, making and writing
//! FASTA, and mutating it into a sample.

use std::path::PathBuf;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::error::{to_js, HelixError};
use crate::js_options::{describe_contig, rate, seed, whole};
use crate::sample_bindings::{MutatedSample, MutationOptions};
use crate::{files, reference, simulate};

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
    pub(crate) inner: Arc<reference::Reference>,
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
        let seed = crate::js_options::seed(Some(seed)).map_err(to_js)?;
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
            Some(c) => Ok(Buffer::from(&*c.sequence)),
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
