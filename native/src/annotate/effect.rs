//! What a variant does to a gene: Sequence Ontology consequence, snpEff
//! impact, and the codon, amino-acid and HGVS changes.

use super::protein_context::ProteinContext;

/// Sequence Ontology consequence of a variant on one feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consequence {
    /// The codon changes, the amino acid does not.
    Synonymous,
    /// One amino acid (or a run of them) replaced by as many others.
    Missense,
    /// A codon becomes a stop codon.
    StopGained,
    /// The stop codon becomes a sense codon.
    StopLost,
    /// The start codon is no longer a start codon.
    StartLost,
    /// An indel whose length is not a multiple of 3 in a CDS.
    Frameshift,
    /// Whole codons inserted.
    InframeInsertion,
    /// Whole codons deleted.
    InframeDeletion,
    /// Between genes.
    Intergenic,
    /// Within 100 bp before a gene's first base.
    Upstream,
    /// In an rRNA, tRNA or other non-coding transcript.
    NonCoding,
}

/// snpEff's impact classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impact {
    /// Likely disrupts the protein.
    High,
    /// Changes the protein without disrupting it.
    Moderate,
    /// Mostly harmless.
    Low,
    /// Outside coding sequence.
    Modifier,
}

impl Consequence {
    /// The Sequence Ontology term, as the `ANN` field writes it.
    pub fn so_term(self) -> &'static str {
        match self {
            Consequence::Synonymous => "synonymous_variant",
            Consequence::Missense => "missense_variant",
            Consequence::StopGained => "stop_gained",
            Consequence::StopLost => "stop_lost",
            Consequence::StartLost => "start_lost",
            Consequence::Frameshift => "frameshift_variant",
            Consequence::InframeInsertion => "inframe_insertion",
            Consequence::InframeDeletion => "inframe_deletion",
            Consequence::Intergenic => "intergenic_variant",
            Consequence::Upstream => "upstream_gene_variant",
            Consequence::NonCoding => "non_coding_transcript_exon_variant",
        }
    }

    /// The enum value the GraphQL schema uses (`MISSENSE`, `UPSTREAM`…).
    pub fn name(self) -> &'static str {
        match self {
            Consequence::Synonymous => "SYNONYMOUS",
            Consequence::Missense => "MISSENSE",
            Consequence::StopGained => "STOP_GAINED",
            Consequence::StopLost => "STOP_LOST",
            Consequence::StartLost => "START_LOST",
            Consequence::Frameshift => "FRAMESHIFT",
            Consequence::InframeInsertion => "INFRAME_INSERTION",
            Consequence::InframeDeletion => "INFRAME_DELETION",
            Consequence::Intergenic => "INTERGENIC",
            Consequence::Upstream => "UPSTREAM",
            Consequence::NonCoding => "NON_CODING",
        }
    }

    /// The impact snpEff assigns to this consequence.
    pub fn impact(self) -> Impact {
        match self {
            Consequence::StopGained
            | Consequence::StopLost
            | Consequence::StartLost
            | Consequence::Frameshift => Impact::High,
            Consequence::Missense
            | Consequence::InframeInsertion
            | Consequence::InframeDeletion => Impact::Moderate,
            Consequence::Synonymous => Impact::Low,
            Consequence::Intergenic | Consequence::Upstream | Consequence::NonCoding => {
                Impact::Modifier
            }
        }
    }
}

impl Impact {
    /// `HIGH`, `MODERATE`, `LOW` or `MODIFIER`.
    pub fn name(self) -> &'static str {
        match self {
            Impact::High => "HIGH",
            Impact::Moderate => "MODERATE",
            Impact::Low => "LOW",
            Impact::Modifier => "MODIFIER",
        }
    }
}

/// A position within a length, as `ANN` writes `pos / length`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Within {
    /// 1-based position.
    pub position: u64,
    /// Total length.
    pub length: u64,
}

/// A gene next to an intergenic variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbour {
    /// Gene name (or locus tag, or ID, when it has none).
    pub gene: String,
    /// Locus tag, when the annotation gives one.
    pub locus_tag: Option<String>,
    /// Bases between the variant and the gene.
    pub distance: u64,
}

/// One effect of a variant on one feature (or between features).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantEffect {
    /// What happens.
    pub consequence: Consequence,
    /// Gene name; for an intergenic variant the two neighbours, `left-right`.
    pub gene: Option<String>,
    /// Locus tag (or `left-right` between genes).
    pub locus_tag: Option<String>,
    /// Product of the gene.
    pub product: Option<String>,
    /// Transcript or protein identifier.
    pub feature_id: Option<String>,
    /// `protein_coding`, `rRNA`, `tRNA`…
    pub biotype: Option<String>,
    /// Segment (exon) hit, of how many.
    pub rank: Option<Within>,
    /// Codons with the changed bases in upper case, e.g. `gAc/gGc` (SNVs and MNVs).
    pub codon_change: Option<String>,
    /// One-letter amino-acid change, e.g. `D614G`, `Q57*`, `K23fs`.
    pub amino_acid_change: Option<String>,
    /// HGVS on the coding (`c.`) or non-coding (`n.`) transcript.
    pub hgvs_c: Option<String>,
    /// HGVS on the protein, three-letter codes, e.g. `p.Asp614Gly`.
    pub hgvs_p: Option<String>,
    /// Position in the transcript.
    pub cdna: Option<Within>,
    /// Position in the CDS.
    pub cds: Option<Within>,
    /// Position in the protein.
    pub protein: Option<Within>,
    /// Bases to the gene (upstream) or to the nearest gene (intergenic).
    pub distance: Option<u64>,
    /// Reference residues around the protein change (coding effects).
    pub protein_context: Option<ProteinContext>,
    /// The genes either side of an intergenic variant, left first.
    pub neighbours: Vec<Neighbour>,
    /// snpEff-style warnings, e.g. `WARNING_TRANSCRIPT_INCOMPLETE`.
    pub warnings: Vec<String>,
}

impl VariantEffect {
    /// An effect with only its consequence set.
    pub fn new(consequence: Consequence) -> Self {
        VariantEffect {
            consequence,
            gene: None,
            locus_tag: None,
            product: None,
            feature_id: None,
            biotype: None,
            rank: None,
            codon_change: None,
            amino_acid_change: None,
            hgvs_c: None,
            hgvs_p: None,
            cdna: None,
            cds: None,
            protein: None,
            distance: None,
            protein_context: None,
            neighbours: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// snpEff's impact for the consequence.
    pub fn impact(&self) -> Impact {
        self.consequence.impact()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impacts_follow_snpeff() {
        assert_eq!(Consequence::StopGained.impact(), Impact::High);
        assert_eq!(Consequence::Frameshift.impact(), Impact::High);
        assert_eq!(Consequence::Missense.impact(), Impact::Moderate);
        assert_eq!(Consequence::InframeDeletion.impact(), Impact::Moderate);
        assert_eq!(Consequence::Synonymous.impact(), Impact::Low);
        assert_eq!(Consequence::Upstream.impact(), Impact::Modifier);
        assert_eq!(
            Consequence::NonCoding.so_term(),
            "non_coding_transcript_exon_variant"
        );
    }
}
