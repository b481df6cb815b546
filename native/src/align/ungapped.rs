//! The fast path: a read laid on its voted diagonal without gaps, kept when
//! its mismatches are isolated (no gapped alignment could score better).

use super::MapperOptions;

/// Calls `visit(i)` for every index where `a` and `b` differ, comparing
/// eight bytes at a time (most reads differ in at most a few places).
/// Stops early, returning `false`, when `visit` does.
#[inline]
pub(super) fn for_each_difference(
    a: &[u8],
    b: &[u8],
    mut visit: impl FnMut(usize) -> bool,
) -> bool {
    let length = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= length {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let mut diff = x ^ y;
        while diff != 0 {
            let byte = diff.trailing_zeros() as usize / 8;
            if !visit(i + byte) {
                return false;
            }
            diff &= !(0xffu64 << (byte * 8));
        }
        i += 8;
    }
    while i < length {
        if a[i] != b[i] && !visit(i) {
            return false;
        }
        i += 1;
    }
    true
}

/// Score of `read` laid on `reference` without gaps, or `None` when two
/// mismatches are closer than the cluster distance, and the gapped alignment
/// must decide. An indel shifts everything after it, which on the unshifted
/// diagonal shows as a run of mismatches (three in four bases, outside
/// repeats); isolated mismatches are substitutions. A single mismatch can
/// never be bettered (a gap costs at least 7, a clip 5 plus the lost matches,
/// a mismatch 5 below a match).
pub(super) fn ungapped_score(
    read: &[u8],
    reference: &[u8],
    options: &MapperOptions,
) -> Option<i32> {
    let mut mismatches = 0i32;
    let mut ambiguous = 0i32;
    let mut last_mismatch: Option<usize> = None;
    let isolated = for_each_difference(read, reference, |i| {
        if read[i] == b'N' || reference[i] == b'N' {
            ambiguous += 1;
            return true;
        }
        if last_mismatch.is_some_and(|last| i - last < options.mismatch_cluster_distance) {
            return false;
        }
        last_mismatch = Some(i);
        mismatches += 1;
        true
    });
    if !isolated {
        return None;
    }
    let matches = read.len() as i32 - mismatches - ambiguous;
    Some(
        matches * options.match_score
            - mismatches * options.mismatch_penalty
            - ambiguous * options.ambiguous_penalty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_difference_in_whole_words_and_the_tail() {
        let a = b"ACGTACGTACGTACGTACG";
        let mut b = *a;
        for i in [0, 7, 8, 17, 18] {
            b[i] = b'N';
        }
        let mut found = Vec::new();
        assert!(for_each_difference(a, &b, |i| {
            found.push(i);
            true
        }));
        assert_eq!(found, [0, 7, 8, 17, 18]);
        assert!(!for_each_difference(a, &b, |i| i < 8), "stops when asked");
    }

    #[test]
    fn scores_isolated_mismatches_and_leaves_clusters_to_the_gapped_alignment() {
        let options = MapperOptions::default();
        let reference = b"ACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT".as_slice();
        assert_eq!(ungapped_score(reference, reference, &options), Some(40));
        let mut read = reference.to_vec();
        read[5] = b'A';
        read[30] = b'A';
        read[20] = b'N';
        // 37 matches, two mismatches at −4, one N at −1.
        assert_eq!(ungapped_score(&read, reference, &options), Some(28));
        read[12] = b'C';
        assert_eq!(ungapped_score(&read, reference, &options), None);
    }
}
