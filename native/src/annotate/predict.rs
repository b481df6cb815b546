//! Effect of one edit on one feature: the edit is applied to the feature's
//! transcript, both are translated, and the difference is named.

use super::effect::{Consequence, VariantEffect, Within};
use super::feature::{reverse_complement, Biotype, Feature, Strand};
use super::genetic_code::GeneticCode;
use super::hgvs::{self, difference, difference_within, Change};
use super::protein_context::protein_context;
use super::substitution::{retranslate, substitute, EditedTranscript, Substituted};

/// A normalised variant: `deleted` bases from `start` replaced by `inserted`
/// (a pure insertion goes before `start`). 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// First deleted base, or the base after an insertion.
    pub start: u64,
    /// Number of deleted bases.
    pub deleted: u64,
    /// Inserted bases (forward strand).
    pub inserted: Vec<u8>,
}

impl Edit {
    /// Trims the bases a VCF `ref`/`alt` pair shares (the anchor base first,
    /// then a shared suffix); `None` when nothing changes.
    pub fn from_vcf(position: u64, reference: &[u8], alternate: &[u8]) -> Option<Edit> {
        let reference = reference.to_ascii_uppercase();
        let alternate = alternate.to_ascii_uppercase();
        let change = difference(&reference, &alternate)?;
        Some(Edit {
            start: position + change.start as u64,
            deleted: change.deleted.len() as u64,
            inserted: change.inserted.to_vec(),
        })
    }

    /// Bases the edit touches: the deleted ones, or the two around an insertion.
    pub fn span(&self) -> (u64, u64) {
        if self.deleted == 0 {
            (self.start.saturating_sub(1).max(1), self.start)
        } else {
            (self.start, self.start + self.deleted - 1)
        }
    }

    fn deletes(&self, position: u64) -> bool {
        position >= self.start && position < self.start + self.deleted
    }
}

/// The feature's transcript with the edit applied; `None` when the edit does
/// not change it. A pure insertion goes between two bases read one after
/// the other; a replacement goes where each run of deleted bases begins
/// (twice for a base that ribosomal slippage reads twice).
pub(super) fn edited_transcript(feature: &Feature, contig: &[u8], edit: &Edit) -> Option<Vec<u8>> {
    let mut rebuilt = Rebuilt {
        edit,
        contig,
        bases: Vec::with_capacity(feature.transcript_length() as usize + edit.inserted.len()),
        changed: false,
        previous: None,
    };
    // Only bases from the one before the edit to the one after it can change; the rest of each
    // segment is copied whole (an indel's transcript is rebuilt this way, and base by base it had
    // cost most of annotating the indel).
    let window = (
        edit.start.saturating_sub(1).max(1),
        edit.start + edit.deleted,
    );
    for segment in &feature.segments {
        let strand = segment.strand;
        let (from, to) = (segment.start.max(window.0), segment.end.min(window.1));
        if from > to {
            rebuilt.copy(segment.start, segment.end, strand);
            continue;
        }
        match strand {
            Strand::Forward => {
                rebuilt.copy(segment.start, from - 1, strand);
                (from..=to).for_each(|position| rebuilt.read(position, strand));
                rebuilt.copy(to + 1, segment.end, strand);
            }
            Strand::Reverse => {
                rebuilt.copy(to + 1, segment.end, strand);
                (from..=to)
                    .rev()
                    .for_each(|position| rebuilt.read(position, strand));
                rebuilt.copy(segment.start, from - 1, strand);
            }
        }
    }
    rebuilt.changed.then_some(rebuilt.bases)
}

/// A transcript being rebuilt with an edit, in reading order.
struct Rebuilt<'a> {
    edit: &'a Edit,
    contig: &'a [u8],
    bases: Vec<u8>,
    changed: bool,
    /// The position read last, across segments: whether two bases are read one after the other.
    previous: Option<u64>,
}

impl Rebuilt<'_> {
    /// Reads `position` (1-based) on `strand`, applying the edit where it lies.
    fn read(&mut self, position: u64, strand: Strand) {
        let edit = self.edit;
        let before = self.previous.replace(position);
        let follows = |previous: u64| match strand {
            Strand::Forward => previous + 1 == position,
            Strand::Reverse => previous == position + 1,
        };
        let oriented = || match strand {
            Strand::Forward => edit.inserted.clone(),
            Strand::Reverse => reverse_complement(&edit.inserted),
        };
        if edit.deleted > 0 {
            if edit.deletes(position) {
                if !before.is_some_and(|p| edit.deletes(p) && follows(p)) {
                    self.bases.extend(oriented());
                }
                self.changed = true;
                return;
            }
        } else if let Some(before) = before {
            let gap = match strand {
                Strand::Forward => position,
                Strand::Reverse => before,
            };
            if follows(before) && gap == edit.start {
                self.bases.extend(oriented());
                self.changed = true;
            }
        }
        let base = self.contig[position as usize - 1];
        self.bases.push(match strand {
            Strand::Forward => base,
            Strand::Reverse => super::feature::complement(base),
        });
    }

    /// Reads `from..=to` (1-based), which the edit does not touch, as `strand` reads them.
    fn copy(&mut self, from: u64, to: u64, strand: Strand) {
        if from > to {
            return;
        }
        let bases = &self.contig[from as usize - 1..to as usize];
        match strand {
            Strand::Forward => self.bases.extend_from_slice(bases),
            Strand::Reverse => self
                .bases
                .extend(bases.iter().rev().map(|b| super::feature::complement(*b))),
        }
        self.previous = Some(match strand {
            Strand::Forward => to,
            Strand::Reverse => from,
        });
    }
}

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
        Biotype::ProteinCoding { code, offset } => coding(
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

/// Consequence and changes within a CDS translated from `offset`.
fn coding(
    (transcript, reference_protein): (&[u8], &[u8]),
    edited: &[u8],
    change: &Change,
    offset: usize,
    code: &GeneticCode,
) -> Option<VariantEffect> {
    if change.start + change.deleted.len() <= offset
        && change.deleted.len() == change.inserted.len()
    {
        // Only the bases before /codon_start changed: nothing is translated there.
        return None;
    }
    let start = change.start.saturating_sub(offset);
    // A change of as many bases changes only the codons holding them.
    let (edited_protein, residues_differ) = if edited.len() == transcript.len() {
        let changed = change.start..change.start + change.deleted.len();
        retranslate(code, reference_protein, edited, offset, &changed)
    } else {
        let protein = code.translate_cds(&edited[offset.min(edited.len())..]);
        let all = 0..protein.len().max(reference_protein.len());
        (protein, all)
    };
    let codon = start / 3;
    let length_change = change.inserted.len() as i64 - change.deleted.len() as i64;
    // The reference residues the change touches: from `first`, `changed` of them.
    let (consequence, protein, first, changed) = if length_change % 3 != 0 {
        let first = reference_protein
            .iter()
            .zip(&edited_protein)
            .skip(codon)
            .position(|(r, a)| r != a)
            .map_or(codon, |i| i + codon);
        (
            Consequence::Frameshift,
            hgvs::frameshift(reference_protein, first),
            first,
            1,
        )
    } else {
        match difference_within(reference_protein, &edited_protein, &residues_differ) {
            None => (
                Consequence::Synonymous,
                hgvs::synonymous(reference_protein, codon),
                codon,
                1,
            ),
            Some(residues) => (
                protein_consequence(&residues, length_change),
                hgvs::in_frame(reference_protein, &residues),
                residues.start,
                residues.deleted.len(),
            ),
        }
    };
    let mut effect = VariantEffect::new(consequence);
    effect.biotype = Some("protein_coding".into());
    effect.hgvs_c = Some(hgvs::nucleotide("c.", change, offset));
    effect.hgvs_p = Some(protein.hgvs);
    effect.amino_acid_change = Some(protein.short);
    if length_change == 0 {
        effect.codon_change = Some(codon_change(
            &transcript[offset..],
            &edited[offset..],
            start,
            change.deleted.len(),
        ));
    }
    let cds_length = (transcript.len() - offset) as u64;
    effect.cds = Some(Within {
        position: start as u64 + 1,
        length: cds_length,
    });
    let residues =
        reference_protein.len() as u64 - u64::from(reference_protein.last() == Some(&b'*'));
    let residue = match &effect.consequence {
        Consequence::Synonymous | Consequence::Frameshift => codon as u64 + 1,
        _ => first as u64 + 1,
    };
    effect.protein_context = Some(protein_context(reference_protein, first, changed));
    effect.protein = Some(Within {
        position: residue,
        length: residues,
    });
    Some(effect)
}

/// Consequence of an in-frame change of residues, most severe first.
fn protein_consequence(residues: &Change, length_change: i64) -> Consequence {
    let (deleted, inserted) = (residues.deleted, residues.inserted);
    if residues.start == 0 && deleted.first() == Some(&b'M') {
        Consequence::StartLost
    } else if inserted.contains(&b'*') && !deleted.contains(&b'*') {
        Consequence::StopGained
    } else if deleted.contains(&b'*') && !inserted.contains(&b'*') {
        Consequence::StopLost
    } else if length_change > 0 {
        Consequence::InframeInsertion
    } else if length_change < 0 {
        Consequence::InframeDeletion
    } else {
        Consequence::Missense
    }
}

/// Codons around `length` changed bases from CDS index `start`, unchanged
/// bases in lower case: `gAc/gGc`.
fn codon_change(reference: &[u8], edited: &[u8], start: usize, length: usize) -> String {
    let first = start / 3 * 3;
    let last = ((start + length.max(1) - 1) / 3 * 3 + 3)
        .min(reference.len())
        .min(edited.len());
    let show = |bases: &[u8]| -> String {
        (first..last)
            .map(|i| {
                let base = bases[i] as char;
                if i >= start && i < start + length {
                    base.to_ascii_uppercase()
                } else {
                    base.to_ascii_lowercase()
                }
            })
            .collect()
    };
    format!("{}/{}", show(reference), show(edited))
}

#[cfg(test)]
mod tests {
    use super::super::feature::Segment;
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
