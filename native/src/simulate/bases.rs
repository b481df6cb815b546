//! Base helpers of the simulator: substitutions and complements.

/// `base` replaced by one of the three other bases (`choice` in `0..3`); `N`
/// stays `N`.
#[inline]
pub fn substitute(base: u8, choice: u64) -> u8 {
    let others: &[u8; 3] = match base {
        b'A' => b"CGT",
        b'C' => b"AGT",
        b'G' => b"ACT",
        b'T' => b"ACG",
        _ => return base,
    };
    others[choice as usize]
}

const fn complement_table() -> [u8; 256] {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'T';
    table[b'C' as usize] = b'G';
    table[b'G' as usize] = b'C';
    table[b'T' as usize] = b'A';
    table
}

/// Complement of upper-case bases; anything else becomes `N`.
pub static COMPLEMENT: [u8; 256] = complement_table();

/// Complement of one of `ACGTN` without a table (so loops over it vectorise):
/// `A`/`T` differ by `0x15`, `C`/`G` by `0x04`; bit 1 is clear only for `A`
/// and `T`, bit 3 is set only for `N`.
#[inline(always)]
fn complement_acgtn(c: u8) -> u8 {
    let at = ((!c) >> 1) & 1;
    let cg = (c >> 1) & !(c >> 3) & 1;
    c ^ (0u8.wrapping_sub(at) & 0x15) ^ (0u8.wrapping_sub(cg) & 0x04)
}

/// Writes the reverse complement of `bases` (upper-case `ACGTN`) into `out`.
pub fn reverse_complement(bases: &[u8], out: &mut [u8]) {
    let n = bases.len();
    let out = &mut out[..n];
    for i in 0..n {
        out[i] = complement_acgtn(bases[n - 1 - i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_complement_matches_the_table() {
        let bases = b"ACGTNNACGTTTGCA";
        let mut out = [0u8; 15];
        reverse_complement(bases, &mut out);
        let expected: Vec<u8> = bases
            .iter()
            .rev()
            .map(|&b| COMPLEMENT[b as usize])
            .collect();
        assert_eq!(&out[..], &expected[..]);
        for c in *b"ACGTN" {
            assert_eq!(complement_acgtn(c), COMPLEMENT[c as usize]);
        }
    }
}
