//! The reference genome and a hash index of its canonical k-mers (one entry
//! serves both strands), with cache prefetching of what a read will touch.

use std::sync::OnceLock;

use super::bases::NORMALISED;
use super::kmer_table::{canonical_kmer, mix, KmerTable};
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

/// The reference genome and hash indexes of its canonical k-mers: the seeds
/// of every read, and a table of shorter k-mers, built on first use, for
/// reads too short or too changed to hold an exact long seed.
///
/// Contigs are concatenated into one *global* coordinate space
/// (`global = contig offset + position`); k-mers never span two contigs or
/// contain `N`. Immutable once built (but for the short table, built once
/// behind a lock): share one across threads (`&` or `Arc`).
#[derive(Debug, Clone)]
pub struct ReferenceIndex {
    names: Vec<String>,
    /// Start of each contig in global coordinates, plus the total length.
    offsets: Vec<u32>,
    /// All contigs, upper-case `ACGTN`.
    sequence: Vec<u8>,
    table: KmerTable,
    /// Per contig: its bases twice over when circular, else empty.
    circular: Vec<Vec<u8>>,
    short_kmer_length: Option<usize>,
    short_table: OnceLock<KmerTable>,
}

/// Length of the short seeds for a reference of `total` bases: the shortest
/// odd length from 11 whose random occurrences stay few (`4^k >= total / 2`),
/// `None` unless it is at least four shorter than the long seeds (`k`).
fn short_kmer_length(total: usize, k: usize) -> Option<usize> {
    let short = (11..=31usize)
        .step_by(2)
        .find(|&s| 4f64.powi(s as i32) >= total as f64 / 2.0)?;
    (short + 4 <= k).then_some(short)
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
        let table = KmerTable::build(&sequence, &offsets, k);
        Ok(ReferenceIndex {
            short_kmer_length: short_kmer_length(sequence.len(), k),
            circular: vec![Vec::new(); names.len()],
            names,
            offsets,
            sequence,
            table,
            short_table: OnceLock::new(),
        })
    }

    /// The table of the long seeds.
    pub(super) fn table(&self) -> &KmerTable {
        &self.table
    }

    /// The table of the short seeds (built by the first call), `None` when
    /// the reference is too large for short seeds to be specific.
    pub(super) fn short_table(&self) -> Option<&KmerTable> {
        let k = self.short_kmer_length?;
        Some(
            self.short_table
                .get_or_init(|| KmerTable::build(&self.sequence, &self.offsets, k)),
        )
    }

    /// Marks contig `contig` circular: its end joins its start, so a read
    /// may align across the origin and a deletion may span it.
    pub fn set_circular(&mut self, contig: usize) {
        let bases = self.contig_sequence(contig);
        self.circular[contig] = [bases, bases].concat();
    }

    /// Whether contig `contig` is circular (see [`Self::set_circular`]).
    pub fn is_circular(&self, contig: usize) -> bool {
        !self.circular[contig].is_empty()
    }

    /// Bases of contig `contig` as read from its start onwards: past its end
    /// a circular contig goes on with its start (the bases twice over), a
    /// linear one ends. A span across the origin is one slice of it.
    pub fn contig_sequence_around(&self, contig: usize) -> &[u8] {
        if self.is_circular(contig) {
            &self.circular[contig]
        } else {
            self.contig_sequence(contig)
        }
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
        self.table.kmer_length()
    }

    /// Approximate heap memory held by the index, in bytes (the short table
    /// counts once built).
    pub fn memory_bytes(&self) -> usize {
        self.sequence.len()
            + self.circular.iter().map(Vec::len).sum::<usize>()
            + self.table.memory_bytes()
            + self.short_table.get().map_or(0, KmerTable::memory_bytes)
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
        let k = self.kmer_length();
        let table = &self.table;
        let Some(plan) = SeedPlan::new(bases.len(), k, seeds_per_read) else {
            return;
        };
        for &s in plan.first_round() {
            let offset = plan.offset(s);
            let Some((canonical, orientation)) = canonical_kmer(&bases[offset..offset + k]) else {
                continue;
            };
            let hash = mix(canonical);
            let bucket = table.bucket_of(hash);
            match stage {
                PrefetchStage::Buckets => prefetch(table.bucket_start(bucket)),
                PrefetchStage::Entries => {
                    if let Some(entry) = table.first_entry(bucket) {
                        prefetch(entry);
                    }
                }
                PrefetchStage::Reference => {
                    let check = hash & 0xffff_ffff;
                    let entries = table.bucket_entries(bucket);
                    let Some(&entry) = entries.iter().find(|&&e| e >> 32 == check) else {
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

    #[test]
    fn a_circular_contig_reads_on_past_its_end_from_its_start() {
        let mut index = index_of(&[("chromosome", b"AACCGGTT"), ("plasmid", b"ACGTTT")]);
        index.set_circular(1);
        assert!(!index.is_circular(0) && index.is_circular(1));
        assert_eq!(index.contig_sequence_around(0), b"AACCGGTT");
        assert_eq!(index.contig_sequence_around(1), b"ACGTTTACGTTT");
        assert_eq!(index.contig_length(1), 6);
    }
}
