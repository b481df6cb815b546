//! The shapes gene annotation takes in JavaScript: the contigs an
//! annotation is read onto, its options, and what a variant does to a gene
//! ({@link VariantEffect}), built from [`crate::annotate`]'s own types.

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::annotate::effect::{self, Within};
use crate::annotate::protein_context;

/// A contig the annotation is placed on: its name and bases.
#[napi(object)]
pub struct AnnotationContig {
    /// Name as the reference (and the VCF) writes it.
    pub name: String,
    /// Bases (ASCII), e.g. `reference.sequence(name)`.
    pub sequence: Buffer,
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
