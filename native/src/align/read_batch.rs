//! A batch of reads as the producer makes them, checked once.

use super::AlignError;

/// A batch of reads in struct-of-arrays form, as the producer makes them.
#[derive(Debug, Clone, Copy)]
pub struct ReadBatch<'a> {
    bases: &'a [u8],
    qualities: &'a [u8],
    offsets: &'a [u32],
}

impl<'a> ReadBatch<'a> {
    /// Wraps the buffers of a batch of `offsets.len() - 1` reads: read `i` is
    /// `bases[offsets[i]..offsets[i + 1]]` (ASCII, `ACGTN`, any case) with
    /// qualities at the same indices (Phred+33 ASCII).
    pub fn new(
        bases: &'a [u8],
        qualities: &'a [u8],
        offsets: &'a [u32],
    ) -> Result<Self, AlignError> {
        let invalid = |message: String| Err(AlignError::InvalidBatch { message });
        if bases.len() != qualities.len() {
            return invalid(format!(
                "{} bases but {} qualities",
                bases.len(),
                qualities.len()
            ));
        }
        let Some(&last) = offsets.last() else {
            return invalid("offsets is empty (a batch of n reads has n + 1 offsets)".into());
        };
        if last as usize != bases.len() {
            return invalid(format!(
                "the last offset is {last} but there are {} bases",
                bases.len()
            ));
        }
        if let Some(i) = offsets.windows(2).position(|w| w[0] > w[1]) {
            return invalid(format!("offsets decrease at read {i}"));
        }
        Ok(ReadBatch {
            bases,
            qualities,
            offsets,
        })
    }

    /// Number of reads.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether the batch has no reads.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bases and qualities of read `index`.
    pub fn read(&self, index: usize) -> (&'a [u8], &'a [u8]) {
        let range = self.offsets[index] as usize..self.offsets[index + 1] as usize;
        (&self.bases[range.clone()], &self.qualities[range])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_inconsistent_batches() {
        let bases = b"ACGTACGT";
        assert!(ReadBatch::new(bases, b"IIII", &[0, 8]).is_err());
        assert!(ReadBatch::new(bases, b"IIIIIIII", &[0, 4]).is_err());
        assert!(ReadBatch::new(bases, b"IIIIIIII", &[0, 6, 4, 8]).is_err());
        assert!(ReadBatch::new(bases, b"IIIIIIII", &[]).is_err());
        assert!(ReadBatch::new(b"", b"", &[0]).unwrap().is_empty());
    }
}
