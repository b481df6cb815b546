//! Effect of one edit on one feature: the edit is applied to the feature's
//! transcript, both are translated, and the difference is named. The edit
//! and the rebuilt transcript live in `edit`, what a change does to a CDS in
//! `coding`.

use super::coding::coding_effect;
pub(super) use super::edit::edited_transcript;
pub use super::edit::Edit;
use super::effect::{Consequence, VariantEffect, Within};
use super::feature::{Biotype, Feature};
use super::hgvs::{self, difference_within};
use super::substitution::{substitute, EditedTranscript, Substituted};

/// Segment holding transcript index `index`, as `rank / count`.
fn rank(feature: &Feature, index: usize) -> Within {
    let mut end = 0u64;
    for (number, segment) in feature.segments.iter().enumerate() {
        end += segment.len();
        if (index as u64) < end {
            return Within {
                position: number as u64 + 1,
                length: feature.segments.len() as u64,
            };
        }
    }
    Within {
        position: feature.segments.len() as u64,
        length: feature.segments.len() as u64,
    }
}

/// A feature's reference transcript and protein, worked out once when the
/// annotation is read.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
    /// Transcribed bases in order.
    pub transcript: Vec<u8>,
    /// Translation from the CDS offset (empty for a non-coding feature).
    pub protein: Vec<u8>,
}

impl Prepared {
    /// Transcribes (and translates) `feature` on `contig`.
    pub fn new(feature: &Feature, contig: &[u8]) -> Self {
        let transcript = feature.transcript(contig);
        let protein = match &feature.biotype {
            Biotype::ProteinCoding { code, offset } => {
                code.translate_cds(&transcript[(*offset as usize).min(transcript.len())..])
            }
            Biotype::NonCoding(_) => Vec::new(),
        };
        Prepared {
            transcript,
            protein,
        }
    }
}

/// The effect of `edit` on `feature`, `None` when the feature is untouched.
pub fn predict(
    feature: &Feature,
    prepared: &Prepared,
    contig: &[u8],
    edit: &Edit,
) -> Option<VariantEffect> {
    let transcript = &prepared.transcript;
    let edited = match substitute(feature, transcript, edit) {
        Some(Substituted::Untouched) => return None,
        Some(Substituted::Edited(edited)) => edited,
        None => {
            let bases = edited_transcript(feature, contig, edit)?;
            let differs = 0..bases.len().max(transcript.len());
            EditedTranscript { bases, differs }
        }
    };
    let change = difference_within(transcript, &edited.bases, &edited.differs)?;
    let mut effect = match &feature.biotype {
        Biotype::ProteinCoding { code, offset } => coding_effect(
            (transcript, &prepared.protein),
            &edited.bases,
            &change,
            *offset as usize,
            code,
        )?,
        Biotype::NonCoding(biotype) => {
            let mut effect = VariantEffect::new(Consequence::NonCoding);
            effect.biotype = Some(biotype.clone());
            effect.hgvs_c = Some(hgvs::nucleotide("n.", &change, 0));
            effect
        }
    };
    effect.gene = feature.gene.clone().or_else(|| feature.locus_tag.clone());
    effect.locus_tag = feature.locus_tag.clone();
    effect.product = feature.product.clone();
    effect.feature_id = Some(feature.transcript_id.clone());
    effect.rank = Some(rank(feature, change.start));
    effect.cdna = Some(Within {
        position: change.start as u64 + 1,
        length: transcript.len() as u64,
    });
    effect.warnings.extend(feature.warnings.iter().cloned());
    Some(effect)
}

#[cfg(test)]
mod tests {
    use super::super::feature::{reverse_complement, Segment, Strand};
    use super::super::genetic_code::GeneticCode;
    use super::*;

    // ATG GAC CAG AAA TAA on the forward strand at 3..17.
    const CONTIG: &[u8] = b"CCATGGACCAGAAATAACC";

    fn cds(strand: Strand, start: u64, end: u64) -> Feature {
        let code = GeneticCode::ncbi(11).unwrap();
        let segments = vec![Segment { start, end, strand }];
        Feature::example(segments, Biotype::ProteinCoding { code, offset: 0 })
    }

    fn effect(
        feature: &Feature,
        contig: &[u8],
        position: u64,
        reference: &str,
        alternate: &str,
    ) -> VariantEffect {
        let edit = Edit::from_vcf(position, reference.as_bytes(), alternate.as_bytes()).unwrap();
        predict(feature, &Prepared::new(feature, contig), contig, &edit).unwrap()
    }

    #[test]
    fn a_missense_snv_names_codon_residue_and_hgvs() {
        let e = effect(&cds(Strand::Forward, 3, 17), CONTIG, 7, "A", "G");
        assert_eq!(e.consequence, Consequence::Missense);
        assert_eq!(e.codon_change.as_deref(), Some("gAc/gGc"));
        assert_eq!(e.amino_acid_change.as_deref(), Some("D2G"));
        assert_eq!(e.hgvs_c.as_deref(), Some("c.5A>G"));
        assert_eq!(e.hgvs_p.as_deref(), Some("p.Asp2Gly"));
    }

    #[test]
    fn stops_and_starts_are_named() {
        let f = cds(Strand::Forward, 3, 17);
        assert_eq!(
            effect(&f, CONTIG, 9, "C", "T").consequence,
            Consequence::StopGained
        );
        assert_eq!(
            effect(&f, CONTIG, 9, "C", "T").amino_acid_change.as_deref(),
            Some("Q3*")
        );
        assert_eq!(
            effect(&f, CONTIG, 15, "T", "C").consequence,
            Consequence::StopLost
        );
        assert_eq!(
            effect(&f, CONTIG, 4, "T", "C").consequence,
            Consequence::StartLost
        );
        assert_eq!(
            effect(&f, CONTIG, 8, "C", "T").consequence,
            Consequence::Synonymous
        );
        assert_eq!(
            effect(&f, CONTIG, 8, "C", "T").hgvs_p.as_deref(),
            Some("p.Asp2Asp")
        );
    }

    #[test]
    fn the_reverse_strand_is_read_complemented() {
        let contig = reverse_complement(CONTIG);
        let f = cds(Strand::Reverse, 3, 17);
        // The forward strand's position 7 (A in GAC) is position 13 here, a T.
        let e = effect(&f, &contig, 13, "T", "C");
        assert_eq!(e.amino_acid_change.as_deref(), Some("D2G"));
        assert_eq!(e.hgvs_c.as_deref(), Some("c.5A>G"));
        assert_eq!(e.codon_change.as_deref(), Some("gAc/gGc"));
    }

    #[test]
    fn indels_are_frameshifts_or_in_frame() {
        let f = cds(Strand::Forward, 3, 17);
        let e = effect(&f, CONTIG, 8, "C", "CA");
        assert_eq!(e.consequence, Consequence::Frameshift);
        assert_eq!(e.hgvs_c.as_deref(), Some("c.6_7insA"));
        let e = effect(&f, CONTIG, 8, "CCAG", "C");
        assert_eq!(e.consequence, Consequence::InframeDeletion);
        assert_eq!(e.hgvs_p.as_deref(), Some("p.Gln3del"));
        let e = effect(&f, CONTIG, 8, "C", "CGGG");
        assert_eq!(e.consequence, Consequence::InframeInsertion);
        assert_eq!(e.hgvs_p.as_deref(), Some("p.Asp2_Gln3insGly"));
    }

    #[test]
    fn a_variant_outside_the_segments_changes_nothing() {
        let f = cds(Strand::Forward, 3, 17);
        let edit = Edit::from_vcf(1, b"C", b"T").unwrap();
        assert!(predict(&f, &Prepared::new(&f, CONTIG), CONTIG, &edit).is_none());
        let edit = Edit::from_vcf(17, b"A", b"AT").unwrap();
        assert!(predict(&f, &Prepared::new(&f, CONTIG), CONTIG, &edit).is_none());
    }
}
