//! The cheap way to apply most variants: an equal-length substitution (an
//! SNV or MNV) lying wholly within every segment it touches changes the
//! prepared transcript base for base, so the edited transcript is a copy
//! with those bases replaced and the edited protein a copy with only the
//! codons holding them translated again. Anything else (indels, a change
//! across a segment's end) is left to the general edit in `edit`.

use std::ops::Range;

use super::feature::{complement, Feature, Strand};
use super::genetic_code::GeneticCode;
use super::predict::Edit;

/// A transcript after an edit, and the stretch outside which it still
/// equals the reference transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditedTranscript {
    /// Transcribed bases with the edit applied.
    pub bases: Vec<u8>,
    /// Transcript indices that may differ; outside them (and beyond the
    /// reference's length) the two are the same.
    pub differs: Range<usize>,
}

/// What a substitution does to one feature's transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Substituted {
    /// No segment holds a substituted base.
    Untouched,
    /// The transcript with the substituted bases replaced.
    Edited(EditedTranscript),
}

/// Applies `edit` to `transcript` (the transcript of `feature`) base for
/// base; `None` when the edit is not a substitution this can apply (not of
/// equal length, or cut by a segment's end).
pub fn substitute(feature: &Feature, transcript: &[u8], edit: &Edit) -> Option<Substituted> {
    if edit.deleted == 0 || edit.deleted != edit.inserted.len() as u64 {
        return None;
    }
    let (first, last) = (edit.start, edit.start + edit.deleted - 1);
    let mut bases: Option<Vec<u8>> = None;
    let (mut low, mut high) = (usize::MAX, 0);
    let mut read = 0usize;
    for segment in &feature.segments {
        if segment.start <= last && first <= segment.end {
            if first < segment.start || last > segment.end {
                return None;
            }
            let bases = bases.get_or_insert_with(|| transcript.to_vec());
            for (position, &base) in (first..=last).zip(&edit.inserted) {
                let (index, base) = match segment.strand {
                    Strand::Forward => (read + (position - segment.start) as usize, base),
                    Strand::Reverse => (read + (segment.end - position) as usize, complement(base)),
                };
                bases[index] = base;
                low = low.min(index);
                high = high.max(index + 1);
            }
        }
        read += segment.len() as usize;
    }
    Some(match bases {
        None => Substituted::Untouched,
        Some(bases) => Substituted::Edited(EditedTranscript {
            bases,
            differs: low..high,
        }),
    })
}

/// The protein of `edited` (a CDS from `offset`, as long as the reference
/// transcript, differing from it only within `differs`): `reference_protein`
/// with the codons overlapping `differs` translated again, and the residues
/// that may differ.
pub fn retranslate(
    code: &GeneticCode,
    reference_protein: &[u8],
    edited: &[u8],
    offset: usize,
    differs: &Range<usize>,
) -> (Vec<u8>, Range<usize>) {
    let mut protein = reference_protein.to_vec();
    let end = differs
        .end
        .saturating_sub(offset)
        .div_ceil(3)
        .min(protein.len());
    let codons = (differs.start.saturating_sub(offset) / 3).min(end)..end;
    for number in codons.clone() {
        let start = offset + number * 3;
        protein[number] = code.translate_codon(number, &edited[start..start + 3]);
    }
    (protein, codons)
}

#[cfg(test)]
mod tests {
    use super::super::feature::{Biotype, Segment};
    use super::super::predict::edited_transcript;
    use super::*;

    fn feature(segments: &[(u64, u64, Strand)]) -> Feature {
        let segments = segments
            .iter()
            .map(|&(start, end, strand)| Segment { start, end, strand })
            .collect();
        let code = GeneticCode::ncbi(11).unwrap();
        Feature::example(segments, Biotype::ProteinCoding { code, offset: 0 })
    }

    /// A small deterministic generator, so failures repeat.
    fn next(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    #[test]
    fn every_substitution_it_applies_gives_the_general_edit_s_transcript() {
        let contig: Vec<u8> = (0..120u64)
            .scan(7u64, |state, _| Some(b"ACGT"[(next(state) % 4) as usize]))
            .collect();
        let features = [
            feature(&[(10, 60, Strand::Forward)]),
            feature(&[(10, 60, Strand::Reverse)]),
            feature(&[(10, 30, Strand::Forward), (41, 70, Strand::Forward)]),
            feature(&[(61, 90, Strand::Reverse), (10, 40, Strand::Reverse)]),
            // Ribosomal slippage: base 30 (and 30..31) is read twice.
            feature(&[(10, 31, Strand::Forward), (30, 60, Strand::Forward)]),
            feature(&[(90, 110, Strand::Forward), (1, 20, Strand::Forward)]),
        ];
        let mut state = 11u64;
        let (mut applied, mut left) = (0, 0);
        for feature in &features {
            let transcript = feature.transcript(&contig);
            for _ in 0..400 {
                let length = 1 + next(&mut state) % 3;
                let start = 1 + next(&mut state) % (contig.len() as u64 - length);
                let inserted: Vec<u8> = (0..length)
                    .map(|_| b"ACGT"[(next(&mut state) % 4) as usize])
                    .collect();
                let edit = Edit {
                    start,
                    deleted: length,
                    inserted,
                };
                let general = edited_transcript(feature, &contig, &edit);
                match substitute(feature, &transcript, &edit) {
                    None => left += 1,
                    Some(Substituted::Untouched) => {
                        applied += 1;
                        assert_eq!(general, None, "{edit:?} on {:?}", feature.segments);
                    }
                    Some(Substituted::Edited(edited)) => {
                        applied += 1;
                        assert_eq!(general.as_ref(), Some(&edited.bases), "{edit:?}");
                        let outside = |bases: &[u8]| {
                            [&bases[..edited.differs.start], &bases[edited.differs.end..]].concat()
                        };
                        assert_eq!(outside(&edited.bases), outside(&transcript));
                    }
                }
            }
        }
        assert!(
            applied > 1_500 && left > 50,
            "{applied} applied, {left} left"
        );
    }

    #[test]
    fn a_retranslated_protein_is_the_whole_translation() {
        let code = GeneticCode::ncbi(11).unwrap();
        let reference = b"CGTGAAAGACCAGTAAC".to_vec();
        let protein = code.translate_cds(&reference[1..]);
        for index in 1..reference.len() {
            for base in *b"ACGT" {
                let mut edited = reference.clone();
                edited[index] = base;
                let (again, codons) = retranslate(&code, &protein, &edited, 1, &(index..index + 1));
                assert_eq!(
                    again,
                    code.translate_cds(&edited[1..]),
                    "base {index} to {base}"
                );
                assert!(codons.len() <= 1);
            }
        }
    }
}
