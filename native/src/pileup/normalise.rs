//! Left-normalising indels and VCF alleles (as `bcftools norm` does).

/// Shifts a deletion of `sequence[position..position + length]` as far left
/// as the sequence allows (through homopolymers and tandem repeats).
pub fn left_shift_deletion(sequence: &[u8], mut position: usize, length: usize) -> usize {
    while position > 0 && sequence[position - 1] == sequence[position + length - 1] {
        position -= 1;
    }
    position
}

/// Shifts an insertion of `inserted` before `sequence[position]` as far left
/// as the sequence allows, rotating `inserted` to match; returns the new
/// position.
pub fn left_shift_insertion(sequence: &[u8], mut position: usize, inserted: &mut [u8]) -> usize {
    let Some(&_) = inserted.last() else {
        return position;
    };
    while position > 0 && sequence[position - 1] == inserted[inserted.len() - 1] {
        inserted.rotate_right(1);
        position -= 1;
    }
    position
}

/// Normalises what a read shows in place of `sequence[position..position +
/// deleted]`, `inserted` (either may be empty): trims the bases it shares
/// with the reference at either end, then shifts a plain deletion or
/// insertion left. Returns the position and the deleted length, `inserted`
/// trimmed to match; `None` when nothing differs.
pub fn normalise_indel(
    sequence: &[u8],
    mut position: usize,
    mut deleted: usize,
    inserted: &mut Vec<u8>,
) -> Option<(usize, usize)> {
    while deleted > 0 && inserted.last() == Some(&sequence[position + deleted - 1]) {
        deleted -= 1;
        inserted.pop();
    }
    let shared = sequence[position..position + deleted]
        .iter()
        .zip(inserted.iter())
        .take_while(|(a, b)| a == b)
        .count();
    inserted.drain(..shared);
    position += shared;
    deleted -= shared;
    match (deleted, inserted.is_empty()) {
        (0, true) => None,
        (0, false) => Some((left_shift_insertion(sequence, position, inserted), 0)),
        (_, true) => Some((left_shift_deletion(sequence, position, deleted), deleted)),
        _ => Some((position, deleted)),
    }
}

/// Left-normalises a VCF allele the way `bcftools norm` does: trims bases
/// shared at the right end (re-anchoring on the preceding reference base when
/// an allele runs empty), then bases shared at the left end while both
/// alleles keep at least one. `position` is 0-based on `sequence` (the
/// contig); `reference` must match `sequence` there. Returns the 0-based
/// position and the trimmed alleles.
pub fn normalise(
    sequence: &[u8],
    position: usize,
    reference: &[u8],
    alternate: &[u8],
) -> (usize, Vec<u8>, Vec<u8>) {
    let (mut position, mut reference, mut alternate) =
        (position, reference.to_vec(), alternate.to_vec());
    if reference == alternate {
        return (position, reference, alternate);
    }
    loop {
        let mut changed = false;
        if !reference.is_empty() && !alternate.is_empty() && reference.last() == alternate.last() {
            reference.pop();
            alternate.pop();
            changed = true;
        }
        if (reference.is_empty() || alternate.is_empty()) && position > 0 {
            position -= 1;
            reference.insert(0, sequence[position]);
            alternate.insert(0, sequence[position]);
            changed = true;
        }
        if !changed {
            break;
        }
    }
    if reference.is_empty() || alternate.is_empty() {
        // At the contig start: anchor on the base after instead.
        let after = sequence[position + reference.len()];
        reference.push(after);
        alternate.push(after);
    }
    while reference.len() > 1 && alternate.len() > 1 && reference[0] == alternate[0] {
        reference.remove(0);
        alternate.remove(0);
        position += 1;
    }
    (position, reference, alternate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_deletions_left_through_repeats() {
        //              0123456789
        let sequence = b"GCAAAAATCACACAG";
        // Deleting any one A of the run is the same deletion: the first A.
        assert_eq!(left_shift_deletion(sequence, 6, 1), 2);
        assert_eq!(left_shift_deletion(sequence, 2, 1), 2);
        // "AC" deleted from the CACACA repeat becomes "CA" at its start.
        assert_eq!(left_shift_deletion(sequence, 11, 2), 8);
        // Nothing to shift.
        assert_eq!(left_shift_deletion(sequence, 1, 1), 1);
        // Stops at the contig start.
        assert_eq!(left_shift_deletion(b"AAAC", 2, 1), 0);
    }

    #[test]
    fn shifts_insertions_left_rotating_their_bases() {
        let sequence = b"GCAAAAATCACACAG";
        let mut inserted = b"A".to_vec();
        assert_eq!(left_shift_insertion(sequence, 7, &mut inserted), 2);
        assert_eq!(inserted, b"A");
        // "CA" inserted at the end of the CACACA repeat moves to its start;
        // "AC" inserted inside it becomes "CA" there too.
        let mut inserted = b"CA".to_vec();
        assert_eq!(left_shift_insertion(sequence, 14, &mut inserted), 8);
        assert_eq!(inserted, b"CA");
        let mut inserted = b"AC".to_vec();
        assert_eq!(left_shift_insertion(sequence, 11, &mut inserted), 8);
        assert_eq!(inserted, b"CA");
        let mut inserted = b"GT".to_vec();
        assert_eq!(left_shift_insertion(sequence, 5, &mut inserted), 5);
        assert_eq!(inserted, b"GT");
    }

    #[test]
    fn trims_a_replacement_to_what_differs() {
        let sequence = b"GCAAAAATCACACAG";
        // CACA replaced by CGA: C and A shared, AC becomes G.
        let mut inserted = b"CGA".to_vec();
        assert_eq!(normalise_indel(sequence, 8, 4, &mut inserted), Some((9, 2)));
        assert_eq!(inserted, b"G");
        // A replacement that only deletes is a deletion, shifted left.
        let mut inserted = b"A".to_vec();
        assert_eq!(normalise_indel(sequence, 5, 2, &mut inserted), Some((2, 1)));
        assert!(inserted.is_empty());
        // One that only inserts is an insertion, shifted left.
        let mut inserted = b"TCA".to_vec();
        assert_eq!(normalise_indel(sequence, 7, 1, &mut inserted), Some((8, 0)));
        assert_eq!(inserted, b"CA");
        let mut inserted = b"AT".to_vec();
        assert_eq!(normalise_indel(sequence, 6, 2, &mut inserted), None);
    }

    #[test]
    fn normalises_vcf_alleles_like_bcftools_norm() {
        let sequence = b"GCAAAAATCACACAG";
        // A right-aligned deletion of one A: POS 6 (0-based 5) AA>A.
        assert_eq!(
            normalise(sequence, 5, b"AA", b"A"),
            (1, b"CA".to_vec(), b"C".to_vec())
        );
        // An insertion written with extra shared bases.
        assert_eq!(
            normalise(sequence, 11, b"ACAG", b"ACACAG"),
            (7, b"T".to_vec(), b"TCA".to_vec())
        );
        // SNVs and MNP-like padding.
        assert_eq!(
            normalise(sequence, 3, b"A", b"G"),
            (3, b"A".to_vec(), b"G".to_vec())
        );
        assert_eq!(
            normalise(sequence, 7, b"TC", b"GC"),
            (7, b"T".to_vec(), b"G".to_vec())
        );
        // A deletion at the contig start anchors on the base after.
        assert_eq!(
            normalise(b"AAAC", 1, b"AA", b"A"),
            (0, b"AA".to_vec(), b"A".to_vec())
        );
        assert_eq!(
            normalise(b"ACGT", 0, b"AC", b"C"),
            (0, b"AC".to_vec(), b"C".to_vec())
        );
    }
}
