//! Bindings of a mutated diploid sample and its truth set.

use std::sync::Arc;

use napi::bindgen_prelude::{Buffer, Either};
use napi::Result;
use napi_derive::napi;

use crate::error::{to_js, HelixError};
use crate::js_options::describe_contig;
use crate::{files, simulate};

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
    pub(crate) inner: Arc<simulate::Sample>,
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
