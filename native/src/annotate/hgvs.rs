//! HGVS notation: `c.`/`n.` changes on a transcript and `p.` changes with
//! three-letter amino-acid codes.

use std::ops::Range;

/// Three-letter code of a one-letter amino acid (`*` → `Ter`, unknown → `Xaa`).
pub fn three_letter(amino_acid: u8) -> &'static str {
    match amino_acid {
        b'A' => "Ala",
        b'R' => "Arg",
        b'N' => "Asn",
        b'D' => "Asp",
        b'C' => "Cys",
        b'Q' => "Gln",
        b'E' => "Glu",
        b'G' => "Gly",
        b'H' => "His",
        b'I' => "Ile",
        b'L' => "Leu",
        b'K' => "Lys",
        b'M' => "Met",
        b'F' => "Phe",
        b'P' => "Pro",
        b'S' => "Ser",
        b'T' => "Thr",
        b'W' => "Trp",
        b'Y' => "Tyr",
        b'V' => "Val",
        b'U' => "Sec",
        b'O' => "Pyl",
        b'*' => "Ter",
        _ => "Xaa",
    }
}

/// Amino acids in three-letter codes, concatenated (`*` stays `*` after the first).
fn three_letters(amino_acids: &[u8]) -> String {
    amino_acids.iter().map(|a| three_letter(*a)).collect()
}

/// A change between two transcripts, after trimming what they share:
/// `reference[start..start + deleted.len()]` became `inserted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change<'a> {
    /// 0-based index of the first changed element.
    pub start: usize,
    /// What was there.
    pub deleted: &'a [u8],
    /// What is there now.
    pub inserted: &'a [u8],
}

/// Trims the shared prefix, then the shared suffix, so the change sits as far
/// 3' as it can (the HGVS rule); `None` when the two are equal.
pub fn difference<'a>(reference: &'a [u8], alternate: &'a [u8]) -> Option<Change<'a>> {
    let prefix = reference
        .iter()
        .zip(alternate)
        .take_while(|(r, a)| r == a)
        .count();
    if prefix == reference.len() && prefix == alternate.len() {
        return None;
    }
    let room = reference.len().min(alternate.len()) - prefix;
    let suffix = reference
        .iter()
        .rev()
        .zip(alternate.iter().rev())
        .take(room)
        .take_while(|(r, a)| r == a)
        .count();
    Some(Change {
        start: prefix,
        deleted: &reference[prefix..reference.len() - suffix],
        inserted: &alternate[prefix..alternate.len() - suffix],
    })
}

/// [`difference`] of two sequences known to be equal outside `window`
/// (its end cut to each one's length), comparing only within it.
pub fn difference_within<'a>(
    reference: &'a [u8],
    alternate: &'a [u8],
    window: &Range<usize>,
) -> Option<Change<'a>> {
    let inner = |bases: &'a [u8]| &bases[window.start..window.end.min(bases.len())];
    let change = difference(inner(reference), inner(alternate))?;
    Some(Change {
        start: window.start + change.start,
        ..change
    })
}

/// HGVS of a nucleotide change; `first` is the transcript index numbered 1
/// (`prefix` is `c.` or `n.`).
pub fn nucleotide(prefix: &str, change: &Change, first: usize) -> String {
    let number = |index: usize| index as i64 - first as i64 + 1;
    let from = number(change.start);
    let to = from + change.deleted.len() as i64 - 1;
    let inserted = String::from_utf8_lossy(change.inserted);
    let deleted = String::from_utf8_lossy(change.deleted);
    let range = if from == to {
        format!("{from}")
    } else {
        format!("{from}_{to}")
    };
    match (change.deleted.len(), change.inserted.len()) {
        (1, 1) => format!("{prefix}{from}{deleted}>{inserted}"),
        (_, 0) => format!("{prefix}{range}del"),
        (0, _) => format!("{prefix}{}_{}ins{inserted}", from - 1, from),
        _ => format!("{prefix}{range}delins{inserted}"),
    }
}

/// A protein change in HGVS (`p.Asp614Gly`) and one-letter (`D614G`) form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProteinChange {
    /// e.g. `p.Asp614Gly`.
    pub hgvs: String,
    /// e.g. `D614G`.
    pub short: String,
}

/// Names a run of residues starting at 0-based `start`: `Lys23` or `Lys23_Ala25`.
fn span(protein: &[u8], start: usize, length: usize, three: bool) -> String {
    let name = |index: usize| {
        let residue = protein.get(index).copied().unwrap_or(b'X');
        if three {
            format!("{}{}", three_letter(residue), index + 1)
        } else {
            format!("{}{}", residue as char, index + 1)
        }
    };
    if length <= 1 {
        name(start)
    } else {
        format!("{}_{}", name(start), name(start + length - 1))
    }
}

/// The protein change of an in-frame change of `reference` into the
/// trimmed `change` (positions index `reference`).
pub fn in_frame(reference: &[u8], change: &Change) -> ProteinChange {
    let (start, deleted, inserted) = (change.start, change.deleted, change.inserted);
    let one = |residues: &[u8]| String::from_utf8_lossy(residues).into_owned();
    if deleted.len() == 1 && deleted[0] == b'*' && !inserted.contains(&b'*') {
        let first = inserted.first().copied().unwrap_or(b'X');
        return ProteinChange {
            hgvs: format!("p.Ter{}{}ext*?", start + 1, three_letter(first)),
            short: format!("*{}{}", start + 1, first as char),
        };
    }
    if start == 0 && !deleted.is_empty() && deleted[0] == b'M' {
        return ProteinChange {
            hgvs: "p.Met1?".into(),
            short: "M1?".into(),
        };
    }
    if deleted.len() == 1 && inserted.len() == 1 {
        let hgvs_alt = if inserted[0] == b'*' {
            "*"
        } else {
            three_letter(inserted[0])
        };
        return ProteinChange {
            hgvs: format!("p.{}{}{}", three_letter(deleted[0]), start + 1, hgvs_alt),
            short: format!("{}{}{}", deleted[0] as char, start + 1, inserted[0] as char),
        };
    }
    if inserted.is_empty() {
        return ProteinChange {
            hgvs: format!("p.{}del", span(reference, start, deleted.len(), true)),
            short: format!("{}del", span(reference, start, deleted.len(), false)),
        };
    }
    if deleted.is_empty() && start > 0 && start < reference.len() {
        return ProteinChange {
            hgvs: format!(
                "p.{}ins{}",
                span(reference, start - 1, 2, true),
                three_letters(inserted)
            ),
            short: format!(
                "{}ins{}",
                span(reference, start - 1, 2, false),
                one(inserted)
            ),
        };
    }
    let length = deleted.len().max(1);
    ProteinChange {
        hgvs: format!(
            "p.{}delins{}",
            span(reference, start, length, true),
            three_letters(inserted)
        ),
        short: format!(
            "{}delins{}",
            span(reference, start, length, false),
            one(inserted)
        ),
    }
}

/// A synonymous change at 0-based residue `index`: `p.Leu54Leu`, `L54L` (as snpEff writes it);
/// a start codon changed into another start codon is `p.Met1?` (HGVS: the effect of any
/// change of the initiation codon is not known), `M1M`.
pub fn synonymous(reference: &[u8], index: usize) -> ProteinChange {
    let residue = reference.get(index).copied().unwrap_or(b'X');
    let hgvs = if index == 0 && residue == b'M' {
        "p.Met1?".to_string()
    } else {
        format!("p.{0}{1}{0}", three_letter(residue), index + 1)
    };
    ProteinChange {
        hgvs,
        short: format!("{0}{1}{0}", residue as char, index + 1),
    }
}

/// A frameshift starting at 0-based residue `index`: `p.Lys23fs`, `K23fs`.
pub fn frameshift(reference: &[u8], index: usize) -> ProteinChange {
    let residue = reference.get(index).copied().unwrap_or(b'X');
    ProteinChange {
        hgvs: format!("p.{}{}fs", three_letter(residue), index + 1),
        short: format!("{}{}fs", residue as char, index + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protein(reference: &[u8], alternate: &[u8]) -> ProteinChange {
        in_frame(reference, &difference(reference, alternate).unwrap())
    }

    #[test]
    fn a_substitution_reads_as_snpeff_and_hgvs_write_it() {
        assert_eq!(protein(b"MKDL*", b"MKGL*").hgvs, "p.Asp3Gly");
        assert_eq!(protein(b"MKDL*", b"MKGL*").short, "D3G");
        assert_eq!(protein(b"MKQL*", b"MK*L*").hgvs, "p.Gln3*");
        assert_eq!(protein(b"MKQL*", b"MK*L*").short, "Q3*");
        assert_eq!(protein(b"MKQL*", b"MKQLW").hgvs, "p.Ter5Trpext*?");
        assert_eq!(protein(b"MKQL*", b"IKQL*").hgvs, "p.Met1?");
    }

    #[test]
    fn in_frame_indels_are_placed_three_prime() {
        assert_eq!(protein(b"MAKKL*", b"MAKL*").hgvs, "p.Lys4del");
        assert_eq!(protein(b"MAKL*", b"MAKGGL*").hgvs, "p.Lys3_Leu4insGlyGly");
        assert_eq!(protein(b"MAKL*", b"MAKGGL*").short, "K3_L4insGG");
        assert_eq!(protein(b"MAKQL*", b"MAL*").hgvs, "p.Lys3_Gln4del");
        assert_eq!(protein(b"MAKQL*", b"MAWL*").hgvs, "p.Lys3_Gln4delinsTrp");
    }

    #[test]
    fn nucleotide_changes_are_numbered_from_the_first_translated_base() {
        let change = difference(b"ATGGAC", b"ATGGGC").unwrap();
        assert_eq!(nucleotide("c.", &change, 0), "c.5A>G");
        let change = difference(b"ATGAAAC", b"ATGAAC").unwrap();
        assert_eq!(nucleotide("c.", &change, 0), "c.6del");
        let change = difference(b"ATGC", b"ATGTTC").unwrap();
        assert_eq!(nucleotide("c.", &change, 0), "c.3_4insTT");
        let change = difference(b"ATGCA", b"ATGGT").unwrap();
        assert_eq!(nucleotide("n.", &change, 1), "n.3_4delinsGT");
        assert!(difference(b"ACGT", b"ACGT").is_none());
    }

    #[test]
    fn a_difference_within_a_window_is_placed_as_the_whole_difference() {
        let (reference, alternate) = (b"ATGAAAGACC", b"ATGAAGGACC");
        let whole = difference(reference, alternate);
        assert_eq!(difference_within(reference, alternate, &(4..7)), whole);
        assert_eq!(difference_within(reference, alternate, &(0..99)), whole);
        assert!(difference_within(reference, alternate, &(6..9)).is_none());
    }

    #[test]
    fn a_start_codon_changed_into_another_start_is_met1_unknown() {
        assert_eq!(synonymous(b"MKL*", 0).hgvs, "p.Met1?");
        assert_eq!(synonymous(b"MKL*", 0).short, "M1M");
        assert_eq!(synonymous(b"MKL*", 1).hgvs, "p.Lys2Lys");
    }
}
