//! Consequence of a transcript change within a CDS: frameshift, in-frame
//! insertion or deletion, stop or start change, missense or synonymous, with
//! the codon, residue, protein context and HGVS `c.`/`p.` it names.

use super::effect::{Consequence, VariantEffect, Within};
use super::genetic_code::GeneticCode;
use super::hgvs::{self, difference_within, Change};
use super::protein_context::protein_context;
use super::substitution::retranslate;

/// Consequence and changes within a CDS translated from `offset`.
pub(super) fn coding_effect(
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
