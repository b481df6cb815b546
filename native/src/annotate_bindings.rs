//! Node-API bindings of gene annotation: an `Annotation` read from GenBank
//! or GFF3 onto the reference's contigs, and the effects of calls on its
//! genes, one call at a time or many in one crossing (the shapes they take
//! in JavaScript are in [`crate::annotate_objects`]).
//!
//! Bindings only: the algorithms live in [`crate::annotate`], with their own tests.

use std::path::PathBuf;
use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::annotate::effect;
use crate::annotate::feature::{Biotype, Strand};
use crate::annotate::{self, json, ContigSequence, ReferenceContigs};
use crate::annotate_objects::{
    AnnotationContig, AnnotationFeature, AnnotationOptions, VariantEffect,
};
use crate::error::{to_js, HelixError};
use crate::reference;
use crate::reference_bindings::Reference;

/// Genes of a GenBank or GFF3 file on the reference's contigs, indexed for
/// annotating variants.
#[napi]
pub struct Annotation {
    /// Shared with the tasks that annotate batches of calls off the JavaScript thread.
    inner: Arc<annotate::Annotation>,
}

/// The contigs an annotation is read onto: given as bases, or a loaded
/// reference's, copied off the JavaScript thread.
enum Contigs {
    Given(ReferenceContigs),
    Shared(Arc<reference::Reference>),
}

/// Reads an annotation off the JavaScript thread.
pub struct LoadAnnotation {
    path: PathBuf,
    contigs: Option<Contigs>,
    genetic_code: Option<u8>,
}

impl Task for LoadAnnotation {
    type Output = annotate::Annotation;
    type JsValue = Annotation;

    fn compute(&mut self) -> Result<Self::Output> {
        let reference = match self.contigs.take() {
            Some(Contigs::Given(contigs)) => contigs,
            Some(Contigs::Shared(reference)) => ReferenceContigs {
                contigs: reference
                    .contigs
                    .iter()
                    .map(|contig| ContigSequence {
                        name: contig.name.clone(),
                        sequence: contig.sequence.to_vec(),
                        circular: false,
                    })
                    .collect(),
            },
            None => ReferenceContigs::default(),
        };
        annotate::Annotation::load(&self.path, reference, self.genetic_code).map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, inner: Self::Output) -> Result<Self::JsValue> {
        Ok(Annotation {
            inner: Arc::new(inner),
        })
    }
}

fn genetic_code(options: Option<AnnotationOptions>) -> Result<Option<u8>> {
    match options.and_then(|o| o.genetic_code) {
        None => Ok(None),
        Some(number) => {
            let number = u8::try_from(number).map_err(|_| {
                to_js(HelixError::option(
                    "geneticCode",
                    format!("{number} is not an NCBI table"),
                ))
            })?;
            annotate::check_genetic_code(number).map_err(to_js)?;
            Ok(Some(number))
        }
    }
}

fn reference(contigs: Vec<AnnotationContig>) -> ReferenceContigs {
    ReferenceContigs {
        contigs: contigs
            .into_iter()
            .map(|c| ContigSequence {
                name: c.name,
                sequence: c.sequence.to_ascii_uppercase(),
                circular: false,
            })
            .collect(),
    }
}

#[napi]
impl Annotation {
    /// Reads a GenBank or GFF3 file (told apart by content) onto `contigs`
    /// on a worker thread. Rejects naming the file, line or feature when a
    /// contig is not in the reference or a feature runs off its contig.
    #[napi(ts_return_type = "Promise<Annotation>")]
    pub fn load(
        path: String,
        contigs: Vec<AnnotationContig>,
        options: Option<AnnotationOptions>,
    ) -> Result<AsyncTask<LoadAnnotation>> {
        Ok(AsyncTask::new(LoadAnnotation {
            path: path.into(),
            contigs: Some(Contigs::Given(reference(contigs))),
            genetic_code: genetic_code(options)?,
        }))
    }

    /// Reads a GenBank or GFF3 file onto the contigs of a loaded `reference`
    /// on a worker thread, as {@link Annotation.load} does: the bases are
    /// copied there, not through JavaScript buffers (a genome's worth of
    /// them had made the collector work through the run that followed).
    #[napi(ts_return_type = "Promise<Annotation>")]
    pub fn load_onto(
        path: String,
        reference: &Reference,
        options: Option<AnnotationOptions>,
    ) -> Result<AsyncTask<LoadAnnotation>> {
        Ok(AsyncTask::new(LoadAnnotation {
            path: path.into(),
            contigs: Some(Contigs::Shared(Arc::clone(&reference.inner))),
            genetic_code: genetic_code(options)?,
        }))
    }

    /// Reads an annotation on the calling thread (see {@link Annotation.load}).
    #[napi(factory)]
    pub fn load_sync(
        path: String,
        contigs: Vec<AnnotationContig>,
        options: Option<AnnotationOptions>,
    ) -> Result<Self> {
        let inner =
            annotate::Annotation::load(path.as_ref(), reference(contigs), genetic_code(options)?)
                .map_err(to_js)?;
        Ok(Annotation {
            inner: Arc::new(inner),
        })
    }

    /// Problems found while reading (a CDS not a multiple of 3, internal
    /// stops, no start codon…), each naming the file, feature and where.
    #[napi(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.inner.warnings.clone()
    }

    /// Number of CDS and non-coding transcripts read.
    #[napi(getter)]
    pub fn feature_count(&self) -> u32 {
        self.inner.features().len() as u32
    }

    /// Features with a base in 1-based `from..=to` of `contig`, by first
    /// base (at most `limit`). Throws for a contig the reference lacks.
    #[napi]
    pub fn features_within(
        &self,
        contig: String,
        from: f64,
        to: f64,
        limit: f64,
    ) -> Result<Vec<AnnotationFeature>> {
        let found = self
            .inner
            .features_within(&contig, from.max(0.0) as u64, to.max(0.0) as u64)
            .ok_or_else(|| {
                to_js(HelixError::option(
                    "contig",
                    format!("{contig} is not a contig of the annotated reference"),
                ))
            })?;
        Ok(found
            .into_iter()
            .take(limit.max(0.0) as usize)
            .map(|feature| {
                let (from, to) = feature.span();
                AnnotationFeature {
                    gene: feature.gene.clone(),
                    locus_tag: feature.locus_tag.clone(),
                    product: feature.product.clone(),
                    kind: match &feature.biotype {
                        Biotype::ProteinCoding { .. } => "CDS".to_owned(),
                        Biotype::NonCoding(kind) => kind.clone(),
                    },
                    strand: match feature.strand() {
                        Strand::Forward => "FORWARD",
                        Strand::Reverse => "REVERSE",
                    }
                    .to_owned(),
                    from: from as f64,
                    to: to as f64,
                }
            })
            .collect())
    }

    /// Effects of a VCF-style variant (1-based `position`; indels carry the
    /// base before them) on every gene it touches, else upstream or
    /// intergenic effects. Throws when `refAllele` does not match the reference.
    #[napi]
    pub fn annotate(
        &self,
        contig: String,
        position: f64,
        ref_allele: String,
        alt: String,
    ) -> Result<Vec<VariantEffect>> {
        let effects =
            call_effects(&self.inner, &contig, position, &ref_allele, &alt).map_err(to_js)?;
        Ok(effects.into_iter().map(VariantEffect::from).collect())
    }

    /// The effects of each call of `calls` (one a line, see
    /// {@link Annotation.annotateManyAnn}) as JSON text: an array holding,
    /// per call in order, `{"effects": VariantEffect[], "ann": string}` (the
    /// effects as {@link Annotation.annotate} returns them, `ann` their
    /// `INFO/ANN` value, left out when there are none) or `{"error": message}`
    /// for a call it refuses. One string each way costs far less than
    /// objects read and built field by field.
    #[napi]
    pub fn annotate_many_json(&self, calls: String) -> String {
        let lines = call_lines(&calls);
        let mut out = String::with_capacity(lines.len() * 900 + 2);
        let mut ann = String::new();
        out.push('[');
        for (number, line) in lines.iter().enumerate() {
            if number > 0 {
                out.push(',');
            }
            match line_effects(&self.inner, line) {
                Ok((alt, effects)) => {
                    out.push_str("{\"effects\":");
                    json::write_effects(&mut out, &effects);
                    if !effects.is_empty() {
                        ann.clear();
                        annotate::ann::write_ann(&mut ann, alt, &effects);
                        out.push_str(",\"ann\":");
                        json::write_string(&mut out, &ann);
                    }
                }
                Err(error) => {
                    out.push_str("{\"error\":");
                    json::write_string(&mut out, &error.to_string());
                }
            }
            out.push('}');
        }
        out.push(']');
        out
    }

    /// Each call's `INFO/ANN` value (empty when it has no effects), in
    /// order, for a VCF that needs no effect objects. `calls` holds one call
    /// a line, `contig TAB position TAB ref TAB alt` (VCF-style, as
    /// {@link Annotation.annotate} takes them).
    /// Throws at the first call it refuses, as {@link Annotation.annotate}
    /// would.
    #[napi]
    pub fn annotate_many_ann(&self, calls: String) -> Result<Vec<String>> {
        ann_values(&self.inner, &calls).map_err(to_js)
    }

    /// {@link Annotation.annotateManyAnn} on a worker thread: a VCF writer
    /// formats one batch of records while the next is annotated. Rejects at
    /// the first call it refuses.
    #[napi(ts_return_type = "Promise<string[]>")]
    pub fn annotate_many_ann_async(&self, calls: String) -> AsyncTask<AnnotateCalls> {
        AsyncTask::new(AnnotateCalls {
            annotation: Arc::clone(&self.inner),
            calls,
        })
    }
}

/// Annotates a batch of calls off the JavaScript thread.
pub struct AnnotateCalls {
    annotation: Arc<annotate::Annotation>,
    calls: String,
}

impl Task for AnnotateCalls {
    type Output = Vec<String>;
    type JsValue = Vec<String>;

    fn compute(&mut self) -> Result<Self::Output> {
        ann_values(&self.annotation, &self.calls).map_err(to_js)
    }

    fn resolve(&mut self, _env: Env, values: Self::Output) -> Result<Self::JsValue> {
        Ok(values)
    }
}

/// The `INFO/ANN` value of each call of `calls` (one a line), empty for a call without effects.
fn ann_values(
    annotation: &annotate::Annotation,
    calls: &str,
) -> std::result::Result<Vec<String>, HelixError> {
    call_lines(calls)
        .iter()
        .map(|line| {
            let (alt, effects) = line_effects(annotation, line)?;
            let mut ann = String::new();
            annotate::ann::write_ann(&mut ann, alt, &effects);
            Ok(ann)
        })
        .collect()
}

/// The lines of a batch of calls (none for empty text).
fn call_lines(calls: &str) -> Vec<&str> {
    if calls.is_empty() {
        Vec::new()
    } else {
        calls.split('\n').collect()
    }
}

/// The alternate allele and effects of a `contig TAB position TAB ref TAB alt` line.
fn line_effects<'a>(
    annotation: &annotate::Annotation,
    line: &'a str,
) -> std::result::Result<(&'a str, Vec<effect::VariantEffect>), HelixError> {
    let mut fields = line.split('\t');
    let (Some(contig), Some(position), Some(ref_allele), Some(alt), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(HelixError::option(
            "calls",
            format!("{line:?} is not contig, position, ref and alt separated by tabs"),
        ));
    };
    let position = position.parse::<f64>().unwrap_or(f64::NAN);
    Ok((
        alt,
        call_effects(annotation, contig, position, ref_allele, alt)?,
    ))
}

fn call_effects(
    annotation: &annotate::Annotation,
    contig: &str,
    position: f64,
    ref_allele: &str,
    alt: &str,
) -> std::result::Result<Vec<effect::VariantEffect>, HelixError> {
    if !(position.is_finite() && position.fract() == 0.0 && position >= 1.0) {
        return Err(HelixError::option(
            "position",
            format!("must be a whole number from 1, got {position}"),
        ));
    }
    annotation.annotate(
        contig,
        position as u64,
        ref_allele.as_bytes(),
        alt.as_bytes(),
    )
}
