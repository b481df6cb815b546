//! Base alphabets: normalising, 2-bit codes, complements.

/// Padding byte for window positions outside the candidate's contig.
pub(super) const OUTSIDE: u8 = b'#';

/// Upper-case `ACGT` stay, everything else becomes `N`.
pub(super) static NORMALISED: [u8; 256] = {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'A';
    table[b'C' as usize] = b'C';
    table[b'G' as usize] = b'G';
    table[b'T' as usize] = b'T';
    table[b'a' as usize] = b'A';
    table[b'c' as usize] = b'C';
    table[b'g' as usize] = b'G';
    table[b't' as usize] = b'T';
    table
};

/// Base (either case) → 2-bit code, `4` for `N` and anything else, `5` for
/// [`OUTSIDE`].
pub(super) static CODE: [u8; 256] = {
    let mut table = [4u8; 256];
    table[b'A' as usize] = 0;
    table[b'C' as usize] = 1;
    table[b'G' as usize] = 2;
    table[b'T' as usize] = 3;
    table[b'a' as usize] = 0;
    table[b'c' as usize] = 1;
    table[b'g' as usize] = 2;
    table[b't' as usize] = 3;
    table[OUTSIDE as usize] = 5;
    table
};

/// Normalised base → its complement (`N` stays `N`).
pub(super) static COMPLEMENT: [u8; 256] = {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'T';
    table[b'C' as usize] = b'G';
    table[b'G' as usize] = b'C';
    table[b'T' as usize] = b'A';
    table[b'a' as usize] = b'T';
    table[b'c' as usize] = b'G';
    table[b'g' as usize] = b'C';
    table[b't' as usize] = b'A';
    table
};

/// Reverse complement of `sequence`, upper case; bytes other than `ACGT`
/// (either case) become `N`.
pub fn reverse_complement(sequence: &[u8]) -> Vec<u8> {
    sequence
        .iter()
        .rev()
        .map(|&b| COMPLEMENT[b as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::simulation::Rng;

    #[test]
    fn reverse_complement_complements_and_reverses() {
        assert_eq!(reverse_complement(b"ACGTTN"), b"NAACGT");
        assert_eq!(reverse_complement(b"acgRt"), b"ANCGT");
        assert_eq!(reverse_complement(b""), b"");
        let sequence = Rng::new(1).bases(101);
        assert_eq!(reverse_complement(&reverse_complement(&sequence)), sequence);
    }
}
