//! The reference genome and a hash index of its canonical k-mers (one entry
//! serves both strands), with cache prefetching of what a read will touch.

use super::bases::{CODE, NORMALISED};
use super::seed::SeedPlan;
use super::AlignError;

/// Largest reference (sum of contig lengths) the index accepts: positions are
/// stored in 31 bits.
pub const MAX_REFERENCE_LENGTH: u64 = (1 << 31) - 1;

/// Options of [`ReferenceIndex::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Length of indexed k-mers; odd (so no k-mer is its own reverse
    /// complement), 11..=31. Longer seeds are more specific, shorter ones
    /// survive more errors.
    pub kmer_length: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { kmer_length: 19 }
    }
}

/// The reference genome and a hash index of all its canonical k-mers.
///
/// Contigs are concatenated into one *global* coordinate space
/// (`global = contig offset + position`); k-mers never span two contigs or
/// contain `N`. Immutable once built: share one across threads (`&` or `Arc`).
#[derive(Debug, Clone)]
pub struct ReferenceIndex {
    names: Vec<String>,
    /// Start of each contig in global coordinates, plus the total length.
    offsets: Vec<u32>,
    /// All contigs, upper-case `ACGTN`.
    sequence: Vec<u8>,
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

/// Murmur3's 64-bit finaliser: spreads canonical k-mers over the buckets.
#[inline]
fn mix(mut key: u64) -> u64 {
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

impl ReferenceIndex {
    /// Builds the index over `contigs` (name, bases). Bases may be any case;
    /// anything but `ACGT` is stored as `N` and not indexed.
    pub fn new<'a, N, I>(contigs: I, options: &IndexOptions) -> Result<Self, AlignError>
    where
        N: Into<String>,
        I: IntoIterator<Item = (N, &'a [u8])>,
    {
        let k = options.kmer_length;
        if k.is_multiple_of(2) || !(11..=31).contains(&k) {
            return Err(AlignError::InvalidKmerLength { kmer_length: k });
        }
        let mut names = Vec::new();
        let mut offsets = Vec::new();
        let mut sequence = Vec::new();
        for (name, bases) in contigs {
            let length = sequence.len() as u64 + bases.len() as u64;
            if length > MAX_REFERENCE_LENGTH {
                return Err(AlignError::ReferenceTooLong { length });
            }
            names.push(name.into());
            offsets.push(sequence.len() as u32);
            sequence.extend(bases.iter().map(|&b| NORMALISED[b as usize]));
        }
        if sequence.is_empty() {
            return Err(AlignError::EmptyReference);
        }
        offsets.push(sequence.len() as u32);

        // About one k-mer per bucket: collisions are cheap (the check bits
        // reject them), the table stays a fraction of the entries' size.
        let bucket_bits = (usize::BITS - sequence.len().leading_zeros()).clamp(8, 32) - 1;
        let bucket_of = |hash: u64| (hash >> (64 - bucket_bits)) as usize;
        let mut bucket_starts = vec![0u32; (1usize << bucket_bits) + 1];
        for contig in 0..names.len() {
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
        for contig in 0..names.len() {
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
        Ok(ReferenceIndex {
            names,
            offsets,
            sequence,
            kmer_length: k,
            bucket_bits,
            bucket_starts,
            entries,
        })
    }

    /// Number of contigs.
    pub fn contig_count(&self) -> usize {
        self.names.len()
    }

    /// Name of contig `contig` (0-based, in input order).
    pub fn contig_name(&self, contig: usize) -> &str {
        &self.names[contig]
    }

    /// Index of the contig called `name`.
    pub fn contig_id(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Length of contig `contig` in bases.
    pub fn contig_length(&self, contig: usize) -> u32 {
        self.offsets[contig + 1] - self.offsets[contig]
    }

    /// Bases of contig `contig`, upper-case `ACGTN`.
    pub fn contig_sequence(&self, contig: usize) -> &[u8] {
        &self.sequence[self.offsets[contig] as usize..self.offsets[contig + 1] as usize]
    }

    /// Global coordinate of the first base of contig `contig`.
    pub fn contig_offset(&self, contig: usize) -> u32 {
        self.offsets[contig]
    }

    /// Sum of all contig lengths (the size of the global coordinate space).
    pub fn total_length(&self) -> u32 {
        self.sequence.len() as u32
    }

    /// All contigs concatenated, indexed by global coordinate.
    pub fn global_sequence(&self) -> &[u8] {
        &self.sequence
    }

    /// Global coordinate of 0-based `position` on `contig`.
    pub fn to_global(&self, contig: usize, position: u32) -> u32 {
        self.offsets[contig] + position
    }

    /// Contig and 0-based position of a global coordinate.
    pub fn locate(&self, global: u32) -> (usize, u32) {
        let contig = self.offsets.partition_point(|&start| start <= global) - 1;
        let contig = contig.min(self.names.len() - 1);
        (contig, global - self.offsets[contig])
    }

    /// The k-mer length the index was built with.
    pub fn kmer_length(&self) -> usize {
        self.kmer_length
    }

    /// Approximate heap memory held by the index, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.sequence.len() + self.bucket_starts.len() * 4 + self.entries.len() * 8
    }

    /// Index entries of the bucket that `canonical` hashes to, and the check
    /// value its own entries carry.
    #[inline]
    pub(super) fn bucket(&self, canonical: u64) -> (&[u64], u64) {
        let hash = mix(canonical);
        let bucket = (hash >> (64 - self.bucket_bits)) as usize;
        let range = self.bucket_starts[bucket] as usize..self.bucket_starts[bucket + 1] as usize;
        (&self.entries[range], hash & 0xffff_ffff)
    }
}

/// Asks the CPU to start loading the cache line holding `value`.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch hint never faults and changes no memory; SSE is part
    // of the x86_64 baseline.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(value as *const T as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// What [`ReferenceIndex::prefetch`] fetches for a read: each stage needs
/// what the previous one brought into the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PrefetchStage {
    /// The first-round seeds' bucket bounds.
    Buckets,
    /// The first-round seeds' bucket entries.
    Entries,
    /// The reference where the first seed with a hit places the read.
    Reference,
}

impl ReferenceIndex {
    /// Prefetches what mapping read `bases` will touch at `stage`.
    pub(super) fn prefetch(&self, bases: &[u8], seeds_per_read: usize, stage: PrefetchStage) {
        let k = self.kmer_length;
        let Some(plan) = SeedPlan::new(bases.len(), k, seeds_per_read) else {
            return;
        };
        for &s in plan.first_round() {
            let offset = plan.offset(s);
            let Some((canonical, orientation)) = canonical_kmer(&bases[offset..offset + k]) else {
                continue;
            };
            let hash = mix(canonical);
            let bucket = (hash >> (64 - self.bucket_bits)) as usize;
            match stage {
                PrefetchStage::Buckets => prefetch(&self.bucket_starts[bucket]),
                PrefetchStage::Entries => {
                    if let Some(entry) = self.entries.get(self.bucket_starts[bucket] as usize) {
                        prefetch(entry);
                    }
                }
                PrefetchStage::Reference => {
                    let range = self.bucket_starts[bucket] as usize
                        ..self.bucket_starts[bucket + 1] as usize;
                    let check = hash & 0xffff_ffff;
                    let Some(&entry) = self.entries[range].iter().find(|&&e| e >> 32 == check)
                    else {
                        continue;
                    };
                    let position = ((entry & 0xffff_ffff) >> 1) as usize;
                    let diagonal = if entry & 1 == orientation {
                        position.saturating_sub(offset)
                    } else {
                        position.saturating_sub(bases.len() - offset - k)
                    };
                    let end = (diagonal + bases.len()).min(self.sequence.len());
                    for line in (diagonal..end).step_by(64).chain([end - 1]) {
                        prefetch(&self.sequence[line]);
                    }
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::index_of;

    #[test]
    fn index_rejects_bad_input() {
        let empty: [(&str, &[u8]); 0] = [];
        assert_eq!(
            ReferenceIndex::new(empty, &IndexOptions::default()).unwrap_err(),
            AlignError::EmptyReference
        );
        let even = IndexOptions { kmer_length: 20 };
        assert!(matches!(
            ReferenceIndex::new([("a", b"ACGT".as_slice())], &even),
            Err(AlignError::InvalidKmerLength { kmer_length: 20 })
        ));
    }

    #[test]
    fn index_keeps_contigs_and_normalises_bases() {
        let index = index_of(&[("one", b"acgtRYacgt"), ("two", b"TTTT")]);
        assert_eq!(index.contig_count(), 2);
        assert_eq!(index.contig_sequence(0), b"ACGTNNACGT");
        assert_eq!(index.contig_id("two"), Some(1));
        assert_eq!(index.contig_offset(1), 10);
        assert_eq!(index.locate(11), (1, 1));
        assert_eq!(index.to_global(1, 3), 13);
        assert_eq!(index.total_length(), 14);
    }
}
