//! A fast 64-bit checksum of an index file's body, fed in pieces as the file
//! is written and in one piece when it is read back.

/// Four independent lanes over little-endian 8-byte words (so the CPU works
/// on four at once); a partial word is carried to the next piece.
#[derive(Debug, Clone)]
pub(super) struct Checksum {
    lanes: [u64; 4],
    words: u64,
    carry: [u8; 8],
    carried: usize,
}

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            lanes: [1, 2, 3, 4],
            words: 0,
            carry: [0; 8],
            carried: 0,
        }
    }
}

impl Checksum {
    #[inline]
    fn word(&mut self, word: u64) {
        let lane = &mut self.lanes[(self.words & 3) as usize];
        *lane = (*lane ^ word).wrapping_mul(MULTIPLIER).rotate_left(29);
        self.words += 1;
    }

    /// Adds `bytes` to the checksum.
    pub(super) fn update(&mut self, mut bytes: &[u8]) {
        if self.carried > 0 {
            let take = (8 - self.carried).min(bytes.len());
            self.carry[self.carried..self.carried + take].copy_from_slice(&bytes[..take]);
            self.carried += take;
            bytes = &bytes[take..];
            if self.carried < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.carry));
            self.carried = 0;
        }
        let mut blocks = bytes.chunks_exact(32);
        for block in &mut blocks {
            for word in block.chunks_exact(8) {
                self.word(u64::from_le_bytes(word.try_into().expect("8 bytes")));
            }
        }
        let mut words = blocks.remainder().chunks_exact(8);
        for word in &mut words {
            self.word(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carried = rest.len();
    }

    /// The checksum of everything added.
    pub(super) fn finish(mut self) -> u64 {
        if self.carried > 0 {
            self.carry[self.carried..].fill(0);
            self.word(u64::from_le_bytes(self.carry));
        }
        let mut sum = self.words;
        for lane in self.lanes {
            sum = (sum ^ lane).wrapping_mul(MULTIPLIER).rotate_left(31);
        }
        sum ^ (sum >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_sum_as_the_whole_and_any_change_shows() {
        let bytes: Vec<u8> = (0..1_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Checksum::default();
        whole.update(&bytes);
        let whole = whole.finish();
        let mut pieces = Checksum::default();
        for piece in bytes.chunks(13) {
            pieces.update(piece);
        }
        assert_eq!(pieces.finish(), whole);
        let mut changed = bytes.clone();
        changed[500] ^= 1;
        let mut other = Checksum::default();
        other.update(&changed);
        assert_ne!(other.finish(), whole);
    }
}
