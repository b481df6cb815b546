//! A hash table of every canonical k-mer of the reference (one entry serves
//! both strands), for one k-mer length.

use super::bases::CODE;

/// Murmur3's 64-bit finaliser: spreads canonical k-mers over the buckets.
#[inline]
pub(super) fn mix(mut key: u64) -> u64 {
    key ^= key >> 33;
    key = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    key ^= key >> 33;
    key = key.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    key ^ (key >> 33)
}

/// Calls `visit(start, canonical, orientation)` for every k-mer of
/// `sequence` without `N`; `start` is relative to `sequence`.
fn for_each_kmer(sequence: &[u8], k: usize, mut visit: impl FnMut(usize, u64, u64)) {
    let mask = (1u64 << (2 * k)) - 1;
    let shift = 2 * (k - 1);
    let (mut forward, mut reverse, mut run) = (0u64, 0u64, 0usize);
    for (i, &base) in sequence.iter().enumerate() {
        let code = CODE[base as usize] as u64;
        if code > 3 {
            run = 0;
            continue;
        }
        forward = ((forward << 2) | code) & mask;
        reverse = (reverse >> 2) | ((3 - code) << shift);
        run += 1;
        if run >= k {
            let (canonical, orientation) = if forward < reverse {
                (forward, 0)
            } else {
                (reverse, 1)
            };
            visit(i + 1 - k, canonical, orientation);
        }
    }
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

/// Every canonical k-mer of the reference, hashed into buckets. K-mers never
/// span two contigs or contain `N`.
#[derive(Debug, Clone)]
pub(super) struct KmerTable {
    kmer_length: usize,
    bucket_bits: u32,
    /// Bucket `b` holds `entries[bucket_starts[b]..bucket_starts[b + 1]]`.
    bucket_starts: Vec<u32>,
    /// `check << 32 | position << 1 | orientation`: `check` is the low half of
    /// the k-mer's hash (to reject other k-mers sharing the bucket),
    /// `orientation` is 1 when the reference holds the reverse complement of
    /// the canonical k-mer.
    entries: Vec<u64>,
}

impl KmerTable {
    /// The table of the k-mers of `sequence` (normalised), whose contigs start
    /// at `offsets` (plus the total length at the end).
    pub(super) fn build(sequence: &[u8], offsets: &[u32], k: usize) -> Self {
        let contigs = offsets.len() - 1;
        // About one k-mer per bucket: collisions are cheap (the check bits
        // reject them), the table stays a fraction of the entries' size.
        let bucket_bits = (usize::BITS - sequence.len().leading_zeros()).clamp(8, 32) - 1;
        let bucket_of = |hash: u64| (hash >> (64 - bucket_bits)) as usize;
        let mut bucket_starts = vec![0u32; (1usize << bucket_bits) + 1];
        for contig in 0..contigs {
            let bases = &sequence[offsets[contig] as usize..offsets[contig + 1] as usize];
            for_each_kmer(bases, k, |_, canonical, _| {
                bucket_starts[bucket_of(mix(canonical))] += 1;
            });
        }
        // Inclusive prefix sums; filling then decrements each bucket's end
        // down to its start, which leaves `bucket_starts` exact.
        let mut total = 0u32;
        for start in bucket_starts.iter_mut() {
            total += *start;
            *start = total;
        }
        let mut entries = vec![0u64; total as usize];
        for contig in 0..contigs {
            let offset = offsets[contig] as usize;
            let bases = &sequence[offset..offsets[contig + 1] as usize];
            for_each_kmer(bases, k, |start, canonical, orientation| {
                let hash = mix(canonical);
                let bucket = bucket_of(hash);
                bucket_starts[bucket] -= 1;
                let position = (offset + start) as u64;
                entries[bucket_starts[bucket] as usize] =
                    (hash & 0xffff_ffff) << 32 | position << 1 | orientation;
            });
        }
        KmerTable {
            kmer_length: k,
            bucket_bits,
            bucket_starts,
            entries,
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
