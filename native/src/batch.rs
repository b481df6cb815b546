//! Batches of reads as struct-of-arrays: one contiguous buffer of bases, one of
//! qualities, offsets into both, and the read names, so a batch crosses into
//! JavaScript (and on to worker threads) as a handful of buffers, not one
//! object per read.

use std::sync::Mutex;

use crate::error::Result;
use crate::files::Output;

/// A batch of reads.
///
/// Read `i` has bases `bases[offsets[i]..offsets[i + 1]]`, qualities at the
/// same positions of `qualities` (Phred+33 ASCII, as in FASTQ) and name
/// `names[name_offsets[i]..name_offsets[i + 1]]`. In a paired batch, reads
/// `2k` and `2k + 1` are mates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Position of this batch in its stream, from 0.
    pub sequence: u64,
    /// Index of the batch's first read in its stream, from 0.
    pub first_read: u64,
    /// Reads come in mate pairs (`2k`, `2k + 1`).
    pub paired: bool,
    /// Bases of all reads, back to back, upper-case `ACGTN`.
    pub bases: Vec<u8>,
    /// Phred+33 qualities, one per base.
    pub qualities: Vec<u8>,
    /// `reads + 1` offsets into `bases`/`qualities`; starts at 0.
    pub offsets: Vec<u32>,
    /// Read names (without `@`), back to back.
    pub names: Vec<u8>,
    /// `reads + 1` offsets into `names`; starts at 0.
    pub name_offsets: Vec<u32>,
    /// Reads whose bases held characters other than `ACGTN` (IUPAC codes read
    /// as `N`, `U` as `T`): counted so they are reported, not passed silently.
    pub ambiguous_reads: u32,
}

/// One read borrowed from a [`Batch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadRef<'a> {
    /// Name without `@`.
    pub name: &'a [u8],
    /// Bases.
    pub bases: &'a [u8],
    /// Phred+33 qualities.
    pub qualities: &'a [u8],
}

impl Batch {
    /// An empty batch with room for `reads` reads of about `read_length` bases.
    pub fn with_capacity(reads: usize, read_length: usize) -> Self {
        let mut offsets = Vec::with_capacity(reads + 1);
        offsets.push(0);
        let mut name_offsets = Vec::with_capacity(reads + 1);
        name_offsets.push(0);
        Self {
            sequence: 0,
            first_read: 0,
            paired: false,
            bases: Vec::with_capacity(reads * read_length),
            qualities: Vec::with_capacity(reads * read_length),
            offsets,
            names: Vec::with_capacity(reads * 32),
            name_offsets,
            ambiguous_reads: 0,
        }
    }

    /// Removes every read, keeping the memory.
    pub fn clear(&mut self) {
        self.bases.clear();
        self.qualities.clear();
        self.names.clear();
        self.offsets.clear();
        self.offsets.push(0);
        self.name_offsets.clear();
        self.name_offsets.push(0);
        self.ambiguous_reads = 0;
    }

    /// Number of reads.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// True when the batch holds no read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes the read whose bases, qualities and name were appended since the
    /// previous call.
    #[inline]
    pub fn end_read(&mut self) {
        debug_assert_eq!(self.bases.len(), self.qualities.len());
        self.offsets.push(self.bases.len() as u32);
        self.name_offsets.push(self.names.len() as u32);
    }

    /// Appends a whole read.
    pub fn push_read(&mut self, name: &[u8], bases: &[u8], qualities: &[u8]) {
        self.names.extend_from_slice(name);
        self.bases.extend_from_slice(bases);
        self.qualities.extend_from_slice(qualities);
        self.end_read();
    }

    /// Read `i`.
    pub fn read(&self, i: usize) -> ReadRef<'_> {
        let (s, e) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        let (ns, ne) = (
            self.name_offsets[i] as usize,
            self.name_offsets[i + 1] as usize,
        );
        ReadRef {
            name: &self.names[ns..ne],
            bases: &self.bases[s..e],
            qualities: &self.qualities[s..e],
        }
    }

    /// Appends the FASTQ text of reads `first`, `first + step`, ... to `text`.
    pub fn fastq_into(&self, text: &mut Vec<u8>, step: usize, first: usize) {
        let mut i = first;
        while i < self.len() {
            let read = self.read(i);
            text.push(b'@');
            text.extend_from_slice(read.name);
            text.push(b'\n');
            text.extend_from_slice(read.bases);
            text.extend_from_slice(b"\n+\n");
            text.extend_from_slice(read.qualities);
            text.push(b'\n');
            i += step;
        }
    }

    /// Writes the batch as FASTQ: all reads to `first`, or for a paired batch
    /// first mates to `first` and second mates to `second`.
    pub fn write_fastq(
        &self,
        text: &mut Vec<u8>,
        first: &mut Output,
        second: Option<&mut Output>,
    ) -> Result<()> {
        text.clear();
        match second {
            Some(second) if self.paired => {
                self.fastq_into(text, 2, 0);
                first.write_all(text)?;
                text.clear();
                self.fastq_into(text, 2, 1);
                second.write_all(text)?;
            }
            _ => {
                self.fastq_into(text, 1, 0);
                first.write_all(text)?;
            }
        }
        Ok(())
    }
}

/// Batches kept for reuse: refilling a batch whose memory is already mapped
/// avoids page faults that would otherwise cost more than filling it.
#[derive(Debug, Default)]
pub struct BatchPool {
    free: Mutex<Vec<Batch>>,
}

/// Most batches a pool keeps.
const POOL_CAPACITY: usize = 8;

impl BatchPool {
    /// An empty batch, reused when one is free.
    pub fn take(&self) -> Batch {
        let reused = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match reused {
            Some(mut batch) => {
                batch.clear();
                batch
            }
            None => Batch::with_capacity(0, 0),
        }
    }

    /// Returns a batch for reuse.
    pub fn give(&self, batch: Batch) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < POOL_CAPACITY {
            free.push(batch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_addressed_through_offsets() {
        let mut batch = Batch::with_capacity(2, 4);
        batch.push_read(b"r1", b"ACGT", b"IIII");
        batch.push_read(b"r2", b"GG", b"#I");
        assert_eq!(batch.len(), 2);
        assert_eq!(batch.offsets, vec![0, 4, 6]);
        assert_eq!(batch.name_offsets, vec![0, 2, 4]);
        let r = batch.read(1);
        assert_eq!(
            (r.name, r.bases, r.qualities),
            (&b"r2"[..], &b"GG"[..], &b"#I"[..])
        );
        let mut text = Vec::new();
        batch.fastq_into(&mut text, 1, 0);
        assert_eq!(text, b"@r1\nACGT\n+\nIIII\n@r2\nGG\n+\n#I\n");
    }

    #[test]
    fn a_pool_hands_back_cleared_batches_with_their_memory() {
        let pool = BatchPool::default();
        let mut batch = pool.take();
        batch.push_read(b"r", b"ACGT", b"IIII");
        let capacity = batch.bases.capacity();
        pool.give(batch);
        let again = pool.take();
        assert!(again.is_empty() && again.names.is_empty());
        assert_eq!(again.bases.capacity(), capacity);
    }

    #[test]
    fn an_empty_batch_has_one_offset() {
        let batch = Batch::with_capacity(0, 0);
        assert!(batch.is_empty());
        assert_eq!(batch.offsets, vec![0]);
    }
}
