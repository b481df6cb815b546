//! The reference packed two bits a base, with its `N` runs aside: the form
//! the index file stores it in.

use super::bases::CODE;

/// The bases of a packed sequence, four a byte (first base in the low bits).
const BASES: [u8; 4] = [b'A', b'C', b'G', b'T'];

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

/// Unpacks `length` bases of `packed` with `N` over `runs`; `None` when the
/// parts do not fit together (too few packed bytes, a run past the end).
pub(super) fn unpack(packed: &[u8], runs: &[(u32, u32)], length: usize) -> Option<Vec<u8>> {
    if packed.len() != length.div_ceil(4) {
        return None;
    }
    // Each byte → its four bases at once.
    let quads: Vec<[u8; 4]> = (0..=255u8)
        .map(|b| [0, 1, 2, 3].map(|i| BASES[((b >> (2 * i)) & 3) as usize]))
        .collect();
    let mut sequence = Vec::with_capacity(packed.len() * 4);
    for &byte in packed {
        sequence.extend_from_slice(&quads[byte as usize]);
    }
    sequence.truncate(length);
    for &(start, run) in runs {
        let end = (start as usize).checked_add(run as usize)?;
        sequence.get_mut(start as usize..end)?.fill(b'N');
    }
    Some(sequence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_bases_and_n_runs() {
        let sequence = b"NNACGTTGCANACGNNNT".to_vec();
        let (packed, runs) = pack(&sequence);
        assert_eq!(packed.len(), 5);
        assert_eq!(runs, [(0, 2), (10, 1), (14, 3)]);
        assert_eq!(unpack(&packed, &runs, sequence.len()).unwrap(), sequence);
        assert!(unpack(&packed, &[(17, 2)], sequence.len()).is_none());
        assert!(unpack(&packed, &runs, 25).is_none());
    }
}
