//! The SNV alleles of one chunk. Most alleles a pileup sees are sequencing
//! errors read once, so an allele seen once is kept in four bytes (its place
//! and base, the read's quality, mapping quality and strand flags packed in
//! a `u32`); a second read of it moves it to a full [`AlleleSupport`].

use super::chunk::reserve_one;
use super::strand::{NEAR_READ_END, REVERSE_STRAND};
use super::AlleleSupport;

/// Bits of a packed single observation, from the top: the allele's key
/// (offset in the chunk << 2 | base code, 14 bits), mapping quality (8),
/// observation quality (7), near a read's end (1), reverse strand (1).
const KEY_SHIFT: u32 = 18;
const MAPQ_SHIFT: u32 = 10;
const QUALITY_SHIFT: u32 = 3;
const MAX_PACKED_QUALITY: u8 = 127;
const PACKED_NEAR_END: u32 = 2;
const PACKED_REVERSE: u32 = 1;

/// A chunk's SNV alleles: those read once packed, the others in full, each
/// list sorted by key.
#[derive(Debug, Clone, Default)]
pub(super) struct SnvStore {
    singles: Vec<u32>,
    multi: Vec<(u16, AlleleSupport)>,
}

fn unpack(single: u32) -> (u16, AlleleSupport) {
    let flags = (if single & PACKED_REVERSE != 0 {
        REVERSE_STRAND
    } else {
        0
    }) | (if single & PACKED_NEAR_END != 0 {
        NEAR_READ_END
    } else {
        0
    });
    let mut support = AlleleSupport::default();
    support.observe(
        (single >> QUALITY_SHIFT & 0x7f) as u8,
        (single >> MAPQ_SHIFT & 0xff) as u8,
        flags,
    );
    ((single >> KEY_SHIFT) as u16, support)
}

fn pack(key: u16, quality: u8, mapq: u8, flags: u8) -> Option<u32> {
    (quality <= MAX_PACKED_QUALITY).then(|| {
        u32::from(key) << KEY_SHIFT
            | u32::from(mapq) << MAPQ_SHIFT
            | u32::from(quality) << QUALITY_SHIFT
            | if flags & NEAR_READ_END != 0 {
                PACKED_NEAR_END
            } else {
                0
            }
            | if flags & REVERSE_STRAND != 0 {
                PACKED_REVERSE
            } else {
                0
            }
    })
}

impl SnvStore {
    /// Where `key` is or would go in `singles`, and whether it is there.
    fn find_single(&self, key: u16) -> (usize, bool) {
        let at = self
            .singles
            .partition_point(|&s| (s >> KEY_SHIFT) < u32::from(key));
        let found = self
            .singles
            .get(at)
            .is_some_and(|&s| (s >> KEY_SHIFT) == u32::from(key));
        (at, found)
    }

    /// The full support of `key`, made from its single observation when it
    /// had one, or empty.
    fn full(&mut self, key: u16) -> &mut AlleleSupport {
        let at = match self.multi.binary_search_by_key(&key, |&(k, _)| k) {
            Ok(at) => at,
            Err(at) => {
                let (single, found) = self.find_single(key);
                let support = if found {
                    unpack(self.singles.remove(single)).1
                } else {
                    AlleleSupport::default()
                };
                reserve_one(&mut self.multi);
                self.multi.insert(at, (key, support));
                at
            }
        };
        &mut self.multi[at].1
    }

    /// Adds one read's observation of allele `key`.
    pub(super) fn observe(&mut self, key: u16, quality: u8, mapq: u8, flags: u8) {
        if self.multi.binary_search_by_key(&key, |&(k, _)| k).is_err() {
            let (at, found) = self.find_single(key);
            if let (false, Some(packed)) = (found, pack(key, quality, mapq, flags)) {
                reserve_one(&mut self.singles);
                self.singles.insert(at, packed);
                return;
            }
        }
        self.full(key).observe(quality, mapq, flags);
    }

    /// Adds everything `other` holds.
    pub(super) fn absorb(&mut self, other: &SnvStore) {
        for &single in &other.singles {
            let (key, support) = unpack(single);
            let (at, found) = self.find_single(key);
            if !found && self.multi.binary_search_by_key(&key, |&(k, _)| k).is_err() {
                reserve_one(&mut self.singles);
                self.singles.insert(at, single);
            } else {
                self.full(key).absorb(&support);
            }
        }
        for (key, support) in &other.multi {
            self.full(*key).absorb(support);
        }
    }

    /// Support of allele `key`, empty when no read showed it.
    pub(super) fn get(&self, key: u16) -> AlleleSupport {
        if let Ok(at) = self.multi.binary_search_by_key(&key, |&(k, _)| k) {
            return self.multi[at].1;
        }
        match self.find_single(key) {
            (at, true) => unpack(self.singles[at]).1,
            _ => AlleleSupport::default(),
        }
    }

    /// Every allele with its support: the full ones, then those read once.
    pub(super) fn iter(&self) -> impl Iterator<Item = (u16, AlleleSupport)> + '_ {
        self.multi
            .iter()
            .copied()
            .chain(self.singles.iter().map(|&s| unpack(s)))
    }

    /// The alleles read more than once, with their support.
    pub(super) fn iter_multi(&self) -> impl Iterator<Item = (u16, AlleleSupport)> + '_ {
        self.multi.iter().copied()
    }

    /// Alleles held (read once, read more than once).
    pub(super) fn counts(&self) -> (usize, usize) {
        (self.singles.len(), self.multi.len())
    }

    /// The packed single observations, for serialisation.
    pub(super) fn singles(&self) -> &[u32] {
        &self.singles
    }

    /// Rebuilds a store from what [`SnvStore::singles`] and
    /// [`SnvStore::iter_multi`] gave; `None` unless both are sorted, keyed
    /// apart and every key lies in a chunk.
    pub(super) fn from_parts(singles: Vec<u32>, multi: Vec<(u16, AlleleSupport)>) -> Option<Self> {
        let max_key = (super::chunk::CHUNK_SIZE << 2) as u16;
        let sorted_singles = singles
            .windows(2)
            .all(|w| (w[0] >> KEY_SHIFT) < (w[1] >> KEY_SHIFT));
        let sorted_multi = multi.windows(2).all(|w| w[0].0 < w[1].0);
        let store = SnvStore { singles, multi };
        let apart = store.multi.iter().all(|&(k, _)| !store.find_single(k).1);
        let inside = store.multi.last().is_none_or(|&(k, _)| k < max_key)
            && store
                .singles
                .last()
                .is_none_or(|&s| (s >> KEY_SHIFT) < u32::from(max_key));
        (sorted_singles && sorted_multi && apart && inside).then_some(store)
    }

    /// Bytes of the alleles read once, and of those read more.
    pub(super) fn bytes_by_kind(&self) -> (usize, usize) {
        (
            self.singles.capacity() * 4,
            self.multi.capacity() * std::mem::size_of::<(u16, AlleleSupport)>(),
        )
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.singles.capacity() * 4
            + self.multi.capacity() * std::mem::size_of::<(u16, AlleleSupport)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_single_observations_packed_until_a_second_read_shows_them() {
        let mut store = SnvStore::default();
        store.observe(9, 30, 60, REVERSE_STRAND);
        store.observe(4, 20, 0, NEAR_READ_END);
        store.observe(9, 35, 50, 0);
        store.observe(7, 200, 60, 0);
        assert_eq!(store.counts(), (1, 2));
        let nine = store.get(9);
        assert_eq!(
            (
                nine.count,
                nine.quality_sum,
                nine.mapping_quality_sum,
                nine.reverse
            ),
            (2, 65, 110, 1)
        );
        let four = store.get(4);
        assert_eq!(
            (four.count, four.zero_mapping_quality, four.near_read_end),
            (1, 1, 1)
        );
        assert_eq!(store.get(7).quality_sum, 200);
        assert_eq!(store.get(5), AlleleSupport::default());

        let mut merged = store.clone();
        merged.absorb(&store);
        assert_eq!(merged.counts(), (0, 3));
        assert_eq!(merged.get(4).count, 2);
        assert_eq!(merged.get(9).quality_sum, 130);
        let rebuilt =
            SnvStore::from_parts(store.singles().to_vec(), store.iter_multi().collect()).unwrap();
        assert_eq!(rebuilt.get(9), nine);
        assert!(SnvStore::from_parts(vec![9 << KEY_SHIFT], vec![(9, nine)]).is_none());
    }
}
