//! A fast hash map for keys no adversary chooses.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (the "Fx" hash used by rustc) for
/// keys that no adversary chooses.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(value as u64);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(value as u64);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

/// `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn hashes_equal_keys_alike_and_neighbouring_keys_apart() {
        let build = BuildHasherDefault::<FxHasher>::default();
        assert_eq!(
            build.hash_one(b"ACGT".as_slice()),
            build.hash_one(b"ACGT".as_slice())
        );
        let hashes: std::collections::HashSet<u64> =
            (0u64..1_000).map(|k| build.hash_one(k)).collect();
        assert_eq!(hashes.len(), 1_000);
        let mut map = FxHashMap::default();
        map.insert(7u64, "seven");
        assert_eq!(map.get(&7), Some(&"seven"));
    }
}
