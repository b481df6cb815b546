//! Bases held once: the contigs of a reference are ranges of one buffer,
//! which the aligner index built over the reference shares instead of copying.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A read-only run of bases: a range of a buffer that other ranges (the other
/// contigs of a reference, the index over it) may share. Clones share it.
#[derive(Clone)]
pub struct SharedBases {
    buffer: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl SharedBases {
    /// The range `range` of `buffer` (panics when it does not lie within).
    pub fn slice(buffer: &Arc<Vec<u8>>, range: Range<usize>) -> Self {
        assert!(range.start <= range.end && range.end <= buffer.len());
        SharedBases {
            buffer: Arc::clone(buffer),
            start: range.start,
            end: range.end,
        }
    }

    /// The buffer this range is part of, and where in it the range lies.
    pub fn buffer(&self) -> (&Arc<Vec<u8>>, Range<usize>) {
        (&self.buffer, self.start..self.end)
    }

    /// Whether `next` starts in the same buffer where this range ends.
    pub fn continues_into(&self, next: &SharedBases) -> bool {
        Arc::ptr_eq(&self.buffer, &next.buffer) && self.end == next.start
    }
}

impl From<Vec<u8>> for SharedBases {
    fn from(bases: Vec<u8>) -> Self {
        let end = bases.len();
        SharedBases {
            buffer: Arc::new(bases),
            start: 0,
            end,
        }
    }
}

impl Deref for SharedBases {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        &self.buffer[self.start..self.end]
    }
}

impl PartialEq for SharedBases {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for SharedBases {}

impl<const N: usize> PartialEq<[u8; N]> for SharedBases {
    fn eq(&self, other: &[u8; N]) -> bool {
        **self == other[..]
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for SharedBases {
    fn eq(&self, other: &&[u8; N]) -> bool {
        **self == other[..]
    }
}

impl PartialEq<Vec<u8>> for SharedBases {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self == other[..]
    }
}

impl PartialEq<SharedBases> for Vec<u8> {
    fn eq(&self, other: &SharedBases) -> bool {
        self[..] == **other
    }
}

impl fmt::Debug for SharedBases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_one_buffer_share_it_and_read_as_their_bases() {
        let buffer = Arc::new(b"ACGTNNACGT".to_vec());
        let first = SharedBases::slice(&buffer, 0..6);
        let second = SharedBases::slice(&buffer, 6..10);
        assert_eq!(first, b"ACGTNN");
        assert_eq!(second, b"ACGT");
        assert!(first.continues_into(&second));
        assert!(!second.continues_into(&first));
        assert!(!first.continues_into(&SharedBases::from(b"ACGT".to_vec())));
        assert_eq!(Arc::strong_count(&buffer), 3);
    }
}
