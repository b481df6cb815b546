//! The reference residues around a protein change, so that a reader (or a
//! language model) sees the change in its neighbourhood: `VLTSR[S]QLSQF`.

/// Residues shown either side of the changed ones.
pub const PROTEIN_CONTEXT_FLANK: usize = 5;

/// Residues of the reference protein around a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProteinContext {
    /// Up to [`PROTEIN_CONTEXT_FLANK`] residues before the change.
    pub before: String,
    /// The reference residues changed; empty for an insertion, which lies
    /// between `before` and `after`.
    pub residues: String,
    /// Up to [`PROTEIN_CONTEXT_FLANK`] residues after the change (`*` is the stop).
    pub after: String,
}

/// The context of `length` residues from 0-based `start` in `protein`
/// (one-letter codes, as translated); positions past the end are cut off.
pub fn protein_context(protein: &[u8], start: usize, length: usize) -> ProteinContext {
    let start = start.min(protein.len());
    let end = (start + length).min(protein.len());
    let text = |residues: &[u8]| String::from_utf8_lossy(residues).into_owned();
    ProteinContext {
        before: text(&protein[start.saturating_sub(PROTEIN_CONTEXT_FLANK)..start]),
        residues: text(&protein[start..end]),
        after: text(&protein[end..(end + PROTEIN_CONTEXT_FLANK).min(protein.len())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(context: &ProteinContext) -> String {
        format!("{}[{}]{}", context.before, context.residues, context.after)
    }

    #[test]
    fn a_residue_in_the_middle_has_five_either_side() {
        assert_eq!(
            shown(&protein_context(b"MKVLTSRSQLSQFAL*", 7, 1)),
            "VLTSR[S]QLSQF"
        );
    }

    #[test]
    fn the_context_stops_at_the_ends_of_the_protein() {
        assert_eq!(shown(&protein_context(b"MKDL*", 0, 1)), "[M]KDL*");
        assert_eq!(shown(&protein_context(b"MKDL*", 4, 1)), "MKDL[*]");
        assert_eq!(shown(&protein_context(b"MKDL*", 9, 1)), "MKDL*[]");
    }

    #[test]
    fn deleted_residues_are_all_shown_and_an_insertion_shows_none() {
        assert_eq!(shown(&protein_context(b"MAKQLW*", 2, 2)), "MA[KQ]LW*");
        assert_eq!(shown(&protein_context(b"MAKL*", 3, 0)), "MAK[]L*");
    }
}
