//! A hash table of sampled canonical k-mers of the reference (one entry
//! serves both strands), for one k-mer length.

use super::bases::CODE;
use super::sampling::{read_minimizer, Sampling};
use super::words::Words;

/// Murmur3's 64-bit finaliser: spreads canonical k-mers over the buckets.
#[inline]
pub(super) fn mix(mut key: u64) -> u64 {
    key ^= key >> 33;
    key = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    key ^= key >> 33;
    key = key.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    key ^ (key >> 33)
}

/// Canonical form and orientation of the k-mer `bases` (normalised), or
/// `None` when it contains `N`.
#[inline]
pub(super) fn canonical_kmer(bases: &[u8]) -> Option<(u64, u64)> {
    let (mut forward, mut reverse) = (0u64, 0u64);
    let shift = 2 * (bases.len() - 1);
    for &base in bases {
        let code = CODE[base as usize] as u64;
        if code > 3 {
            return None;
        }
        forward = (forward << 2) | code;
        reverse = (reverse >> 2) | ((3 - code) << shift);
    }
    Some(if forward < reverse {
        (forward, 0)
    } else {
        (reverse, 1)
    })
}

/// The sampled canonical k-mers of the reference (see [`Sampling`]), hashed
/// into buckets. K-mers never span two contigs or contain `N`; a k-mer
/// occurring more than [`MAX_INDEXED_OCCURRENCES`] times is left out.
#[derive(Debug, Clone)]
pub(super) struct KmerTable {
    kmer_length: usize,
    sampling: Sampling,
    bucket_bits: u32,
    /// Bucket `b` holds `entries[bucket_starts[b]..bucket_starts[b + 1]]`.
    bucket_starts: Words<u32>,
    /// `check << 32 | position << 1 | orientation`: `check` is the low half of
    /// the k-mer's hash (to reject other k-mers sharing the bucket),
    /// `orientation` is 1 when the reference holds the reverse complement of
    /// the canonical k-mer. Within a bucket, by check then position.
    entries: Words<u64>,
}

/// K-mers occurring more often are not indexed (as BWA-MEM's `-c 500`): a
/// seed in so many places places nothing, and the mapper ignores seeds
/// above its own `max_seed_occurrences` (64 by default) anyway.
pub(super) const MAX_INDEXED_OCCURRENCES: usize = 500;

impl KmerTable {
    /// A table from its parts; `None` unless they are consistent (bucket
    /// bounds rising from 0 to the entry count, one more than the buckets).
    pub(super) fn from_parts(
        kmer_length: usize,
        sampling: Sampling,
        bucket_bits: u32,
        bucket_starts: Words<u32>,
        entries: Words<u64>,
    ) -> Option<Self> {
        let consistent = (1..=32).contains(&bucket_bits)
            && bucket_starts.len() == (1usize << bucket_bits) + 1
            && bucket_starts.first() == Some(&0)
            && bucket_starts.last().map(|&e| e as usize) == Some(entries.len())
            && bucket_starts.windows(2).all(|w| w[0] <= w[1]);
        consistent.then_some(KmerTable {
            kmer_length,
            sampling,
            bucket_bits,
            bucket_starts,
            entries,
        })
    }

    /// Number of bits of a hash that choose its bucket.
    pub(super) fn bucket_bits(&self) -> u32 {
        self.bucket_bits
    }

    /// The bucket bounds and the entries (for the index file).
    pub(super) fn arrays(&self) -> (&[u32], &[u64]) {
        (&self.bucket_starts, &self.entries)
    }

    /// Whether the table is read in place from a mapped index file.
    pub(super) fn is_mapped(&self) -> bool {
        self.entries.is_mapped()
    }

    /// Drops the table's mapped pages from resident memory (see
    /// [`Words::drop_resident_pages`]); nothing for a table built in memory.
    pub(super) fn drop_resident_pages(&self) -> std::io::Result<()> {
        self.bucket_starts.drop_resident_pages()?;
        self.entries.drop_resident_pages()
    }

    /// The k-mer a seed at `offset` of `read` (normalised) looks up, as (read
    /// offset, canonical k-mer, orientation): the window's minimizer in a
    /// minimizer table, the k-mer at `offset` in a strided one.
    #[inline]
    pub(super) fn seed_kmer(&self, read: &[u8], offset: usize) -> Option<(usize, u64, u64)> {
        let k = self.kmer_length;
        match self.sampling {
            Sampling::Minimizers { window } => read_minimizer(read, offset, k, window),
            Sampling::Stride { .. } => {
                let (canonical, orientation) = canonical_kmer(read.get(offset..offset + k)?)?;
                Some((offset, canonical, orientation))
            }
        }
    }

    /// The k-mer length of the table.
    pub(super) fn kmer_length(&self) -> usize {
        self.kmer_length
    }

    /// Approximate heap memory held by the table, in bytes.
    pub(super) fn memory_bytes(&self) -> usize {
        self.bucket_starts.len() * 4 + self.entries.len() * 8
    }

    /// Bucket number of a k-mer's hash.
    #[inline]
    pub(super) fn bucket_of(&self, hash: u64) -> usize {
        (hash >> (64 - self.bucket_bits)) as usize
    }

    /// Index entries of the bucket that `canonical` hashes to, and the check
    /// value its own entries carry.
    #[inline]
    pub(super) fn bucket(&self, canonical: u64) -> (&[u64], u64) {
        let hash = mix(canonical);
        (
            self.bucket_entries(self.bucket_of(hash)),
            hash & 0xffff_ffff,
        )
    }

    /// The entries of bucket `bucket`.
    #[inline]
    pub(super) fn bucket_entries(&self, bucket: usize) -> &[u64] {
        &self.entries[self.bucket_starts[bucket] as usize..self.bucket_starts[bucket + 1] as usize]
    }

    /// The bucket bounds of `bucket` (for prefetching).
    #[inline]
    pub(super) fn bucket_start(&self, bucket: usize) -> &u32 {
        &self.bucket_starts[bucket]
    }

    /// The first entry of `bucket`, if any (for prefetching).
    #[inline]
    pub(super) fn first_entry(&self, bucket: usize) -> Option<&u64> {
        self.entries.get(self.bucket_starts[bucket] as usize)
    }
}
