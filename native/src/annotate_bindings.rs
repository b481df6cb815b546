//! Node-API bindings of gene annotation: an `Annotation` read from GenBank
//! or GFF3 onto the reference's contigs, and the sequences of a GenBank file
//! (so one `.gbk` can be the reference too).
//!
//! Bindings only: the algorithms live in [`crate::annotate`], with their own tests.

use std::path::PathBuf;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer};
use napi::{Env, Result, Task};
use napi_derive::napi;

use crate::annotate::effect::{self, Within};
use crate::annotate::feature::{Biotype, Strand};
use crate::annotate::protein_context;
use crate::annotate::{self, genbank, json, ContigSequence, ReferenceContigs};
use crate::error::{to_js, HelixError};
use crate::reference;
use crate::reference_bindings::Reference;

/// A contig the annotation is placed on: its name and bases.
#[napi(object)]
pub struct AnnotationContig {
    /// Name as the reference (and the VCF) writes it.
    pub name: String,
    /// Bases (ASCII), e.g. `reference.sequence(name)`.
    pub sequence: Buffer,
}

/// A sequence read from a GenBank file.
#[napi(object)]
pub struct GenbankSequence {
    /// LOCUS name.
    pub name: String,
    /// Bases, upper case.
    pub sequence: Buffer,
    /// Whether LOCUS says `circular`.
    pub circular: bool,
    /// Whether its division (`BCT`, `PHG`) or lineage says bacteria, archaea
    /// or phage: a haploid genome, with genetic code 11 by default.
    pub microbial: bool,
}

/// How to read an annotation.
#[napi(object)]
#[derive(Default)]
pub struct AnnotationOptions {
    /// NCBI translation table for every CDS, over `/transl_table` and the default.
    pub genetic_code: Option<u32>,
}

/// A position within a length (`ANN`'s `pos / length`).
#[napi(object)]
pub struct Position {
    /// 1-based.
    pub position: f64,
    /// Total.
    pub length: f64,
}

/// Reference residues around a protein change (one-letter codes, `*` the stop).
#[napi(object)]
pub struct ProteinContext {
    /// Up to 5 residues before the change.
    pub before: String,
    /// The reference residues changed; empty for an insertion (it lies between `before` and `after`).
    pub residues: String,
    /// Up to 5 residues after the change.
    pub after: String,
}

/// A gene next to an intergenic variant.
#[napi(object)]
pub struct Neighbour {
    /// Gene name (or locus tag, or ID, when it has none).
    pub gene: String,
    /// Locus tag.
    pub locus_tag: Option<String>,
    /// Bases between the variant and the gene.
    pub distance: f64,
}

/// A gene's transcript where it lies on its contig ({@link Annotation.featuresWithin}).
#[napi(object)]
pub struct AnnotationFeature {
    /// Gene name, if any.
    pub gene: Option<String>,
    /// Locus tag, if any.
    pub locus_tag: Option<String>,
    /// Gene product, if any.
    pub product: Option<String>,
    /// `CDS` for a protein-coding transcript, else its biotype (`rRNA`, `tRNA`…).
    pub kind: String,
    /// The strand it is read on.
    #[napi(ts_type = "'FORWARD' | 'REVERSE'")]
    pub strand: String,
    /// First base (1-based, the lower coordinate).
    pub from: f64,
    /// Last base (1-based, inclusive).
    pub to: f64,
}

/// What a variant does to one gene (or between genes).
#[napi(object)]
pub struct VariantEffect {
    /// GraphQL `Consequence` value, e.g. `MISSENSE`.
    #[napi(
        ts_type = "'SYNONYMOUS' | 'MISSENSE' | 'STOP_GAINED' | 'STOP_LOST' | 'START_LOST' | 'FRAMESHIFT' | 'INFRAME_INSERTION' | 'INFRAME_DELETION' | 'INTERGENIC' | 'UPSTREAM' | 'NON_CODING'"
    )]
    pub consequence: String,
    /// Sequence Ontology term, e.g. `missense_variant`.
    pub so_term: String,
    /// snpEff impact.
    #[napi(ts_type = "'HIGH' | 'MODERATE' | 'LOW' | 'MODIFIER'")]
    pub impact: String,
    /// Gene name (`left-right` between genes).
    pub gene: Option<String>,
    /// Locus tag.
    pub locus_tag: Option<String>,
    /// Gene product.
    pub product: Option<String>,
    /// Transcript or protein identifier.
    pub feature_id: Option<String>,
    /// `protein_coding`, `rRNA`, `tRNA`…
    pub biotype: Option<String>,
    /// Segment (exon) hit, of how many.
    pub rank: Option<Position>,
    /// Codons, changed bases upper case: `gAc/gGc`.
    pub codon_change: Option<String>,
    /// One-letter amino-acid change: `D614G`, `Q57*`.
    pub amino_acid_change: Option<String>,
    /// HGVS on the transcript: `c.1841A>G`.
    pub hgvs_c: Option<String>,
    /// HGVS on the protein: `p.Asp614Gly`.
    pub hgvs_p: Option<String>,
    /// Position in the transcript.
    pub cdna: Option<Position>,
    /// Position in the CDS.
    pub cds: Option<Position>,
    /// Position in the protein.
    pub protein: Option<Position>,
    /// Bases to the gene (upstream) or to the nearest gene (intergenic).
    pub distance: Option<f64>,
    /// Reference residues around the protein change (coding effects).
    pub protein_context: Option<ProteinContext>,
    /// The genes either side of an intergenic variant, left first.
    pub neighbours: Option<Vec<Neighbour>>,
    /// snpEff-style warnings, e.g. `WARNING_TRANSCRIPT_INCOMPLETE`.
    pub warnings: Vec<String>,
}

fn position(within: Option<Within>) -> Option<Position> {
    within.map(|w| Position {
        position: w.position as f64,
        length: w.length as f64,
    })
}

impl From<protein_context::ProteinContext> for ProteinContext {
    fn from(c: protein_context::ProteinContext) -> Self {
        ProteinContext {
            before: c.before,
            residues: c.residues,
            after: c.after,
        }
    }
}

impl From<effect::VariantEffect> for VariantEffect {
    fn from(e: effect::VariantEffect) -> Self {
        VariantEffect {
            consequence: e.consequence.name().into(),
            so_term: e.consequence.so_term().into(),
            impact: e.impact().name().into(),
            gene: e.gene,
            locus_tag: e.locus_tag,
            product: e.product,
            feature_id: e.feature_id,
            biotype: e.biotype,
            rank: position(e.rank),
            codon_change: e.codon_change,
            amino_acid_change: e.amino_acid_change,
            hgvs_c: e.hgvs_c,
            hgvs_p: e.hgvs_p,
            cdna: position(e.cdna),
            cds: position(e.cds),
            protein: position(e.protein),
            distance: e.distance.map(|d| d as f64),
            protein_context: e.protein_context.map(ProteinContext::from),
            neighbours: (!e.neighbours.is_empty()).then(|| {
                e.neighbours
                    .into_iter()
                    .map(|n| Neighbour {
                        gene: n.gene,
                        locus_tag: n.locus_tag,
                        distance: n.distance as f64,
                    })
                    .collect()
            }),
            warnings: e.warnings,
        }
    }
}

/// Genes of a GenBank or GFF3 file on the reference's contigs, indexed for
/// annotating variants.
#[napi]
pub struct Annotation {
    inner: annotate::Annotation,
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
        Ok(Annotation { inner })
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
        Ok(Annotation { inner })
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
        let effects = self
            .effects(&contig, position, &ref_allele, &alt)
            .map_err(to_js)?;
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
            match self.line_effects(line) {
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
        call_lines(&calls)
            .iter()
            .map(|line| {
                let (alt, effects) = self.line_effects(line).map_err(to_js)?;
                let mut ann = String::new();
                annotate::ann::write_ann(&mut ann, alt, &effects);
                Ok(ann)
            })
            .collect()
    }
}

/// The lines of a batch of calls (none for empty text).
fn call_lines(calls: &str) -> Vec<&str> {
    if calls.is_empty() {
        Vec::new()
    } else {
        calls.split('\n').collect()
    }
}

impl Annotation {
    /// The alternate allele and effects of a `contig TAB position TAB ref TAB alt` line.
    fn line_effects<'a>(
        &self,
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
        Ok((alt, self.effects(contig, position, ref_allele, alt)?))
    }

    fn effects(
        &self,
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
        self.inner.annotate(
            contig,
            position as u64,
            ref_allele.as_bytes(),
            alt.as_bytes(),
        )
    }
}

/// The sequences of a GenBank file, so one `.gbk` serves as the reference
/// too; errors name the file.
#[napi]
pub fn read_genbank_sequences(path: String) -> Result<Vec<GenbankSequence>> {
    let seqs = genbank::read(path.as_ref()).map_err(to_js)?;
    let contigs = genbank::sequences(&seqs, &path).map_err(to_js)?;
    Ok(contigs
        .into_iter()
        .zip(&seqs)
        .map(|(c, seq)| GenbankSequence {
            name: c.name,
            sequence: c.sequence.into(),
            circular: c.circular,
            microbial: genbank::is_microbial(seq),
        })
        .collect())
}
