//! The reference packed two bits a base, with its `N` runs aside: the form
//! the index file stores it in.

use super::bases::CODE;

/// `sequence` (normalised `ACGTN`) packed: two bits a base (`N` stored as
/// `A`), and the `N` runs as (start, length) pairs.
pub(super) fn pack(sequence: &[u8]) -> (Vec<u8>, Vec<(u32, u32)>) {
    let mut packed = vec![0u8; sequence.len().div_ceil(4)];
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for (i, &base) in sequence.iter().enumerate() {
        let code = CODE[base as usize];
        if code > 3 {
            match runs.last_mut() {
                Some((start, length)) if (*start + *length) as usize == i => *length += 1,
                _ => runs.push((i as u32, 1)),
            }
            continue;
        }
        packed[i / 4] |= code << (2 * (i % 4));
    }
    (packed, runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_four_bases_a_byte_and_keeps_n_runs_aside() {
        let sequence = b"NNACGTTGCANACGNNNT".to_vec();
        let (packed, runs) = pack(&sequence);
        // Four bases a byte, the first in the lowest bits, N as A.
        assert_eq!(
            packed,
            [0b0100_0000, 0b1011_1110, 0b0000_0001, 0b0000_1001, 0b1100]
        );
        assert_eq!(runs, [(0, 2), (10, 1), (14, 3)]);
    }
}
