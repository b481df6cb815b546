//! The reference genome and sampled hash indexes of its canonical k-mers
//! (one entry serves both strands): minimizers for the long seeds, a stride
//! of short k-mers for reads too short or too changed to hold a long one.

use std::num::NonZeroUsize;

use super::bases::NORMALISED;
use super::kmer_table::KmerTable;
use super::sampling::Sampling;
use super::table_build::{build_tables, ProgressSink, TableSpec};
use super::AlignError;
use crate::shared_bases::SharedBases;

/// Largest reference (sum of contig lengths) the index accepts: positions are
/// stored in 31 bits.
pub const MAX_REFERENCE_LENGTH: u64 = (1 << 31) - 1;

/// Options of [`ReferenceIndex::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Length of the long seeds; odd (so no k-mer is its own reverse
    /// complement), 11..=31. Longer seeds are more specific, shorter ones
    /// survive more errors.
    pub kmer_length: usize,
    /// The long seeds are the minimizers of this many consecutive k-mers
    /// (1 indexes every k-mer): larger windows index fewer k-mers but need a
    /// longer exact match (`window + kmer_length - 1` bases) to seed.
    pub minimizer_window: usize,
    /// The short seeds are the k-mers at every this many reference positions:
    /// any exact stretch of `short length + stride - 1` bases holds one (4:
    /// 14 bases of 11-mers, what a 35 bp read with two errors keeps).
    pub short_seed_stride: usize,
    /// Threads building the tables.
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            kmer_length: 19,
            minimizer_window: 10,
            short_seed_stride: 4,
            threads: std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        }
    }
}

impl IndexOptions {
    /// The options, once their k-mer length is checked.
    pub(super) fn checked(&self) -> Result<&Self, AlignError> {
        let k = self.kmer_length;
        if k.is_multiple_of(2) || !(11..=31).contains(&k) {
            return Err(AlignError::InvalidKmerLength { kmer_length: k });
        }
        Ok(self)
    }

    /// The seed tables an index of `total` bases holds: long, then short.
    pub(super) fn table_specs(&self, total: usize) -> Vec<TableSpec> {
        let k = self.kmer_length;
        let mut specs = vec![TableSpec {
            kmer_length: k,
            sampling: Sampling::Minimizers {
                window: self.minimizer_window.max(1),
            },
        }];
        if let Some(short) = short_kmer_length(total, k) {
            specs.push(TableSpec {
                kmer_length: short,
                sampling: Sampling::Stride {
                    stride: self.short_seed_stride.max(1),
                },
            });
        }
        specs
    }
}

/// The reference genome and hash indexes of sampled canonical k-mers: the
/// long seeds of every read, and short seeds for reads too short or too
/// changed to hold an exact long seed.
///
/// Contigs are concatenated into one *global* coordinate space
/// (`global = contig offset + position`); k-mers never span two contigs or
/// contain `N`. Immutable once built (but for marking contigs circular):
/// share one across threads (`&` or `Arc`).
#[derive(Debug, Clone)]
pub struct ReferenceIndex {
    names: Vec<String>,
    /// Start of each contig in global coordinates, plus the total length.
    offsets: Vec<u32>,
    /// All contigs, upper-case `ACGTN` (shared with the reference they were
    /// read from when it holds them end to end, see [`share_contigs`]).
    sequence: SharedBases,
    table: KmerTable,
    /// Per contig: its bases twice over when circular, else empty.
    circular: Vec<Vec<u8>>,
    short_table: Option<KmerTable>,
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

/// The contigs' names, their offsets (plus the total length) and their
/// bases concatenated.
pub type Concatenated = (Vec<String>, Vec<u32>, SharedBases);

/// Concatenates `contigs` (name, bases), normalising the bases (a copy).
pub fn concatenate<'a, N, I>(contigs: I) -> Result<Concatenated, AlignError>
where
    N: Into<String>,
    I: IntoIterator<Item = (N, &'a [u8])>,
{
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
    Ok((names, offsets, sequence.into()))
}

/// `contigs` (name, bases) concatenated without a copy: `Some` when their
/// bases are consecutive ranges of one buffer, from its start to its end, and
/// already normalised (`ACGTN`), as a loaded reference's are; the index then
/// shares that buffer. `None` otherwise, or when [`concatenate`] would refuse
/// them (empty, too long): copy them with it.
pub fn share_contigs<'a, N, I>(contigs: I) -> Option<Concatenated>
where
    N: Into<String>,
    I: IntoIterator<Item = (N, &'a SharedBases)>,
{
    let mut names = Vec::new();
    let mut offsets = vec![0u32];
    let mut first: Option<&SharedBases> = None;
    let mut last: Option<&SharedBases> = None;
    for (name, bases) in contigs {
        if let Some(previous) = last {
            if !previous.continues_into(bases) {
                return None;
            }
        }
        first.get_or_insert(bases);
        last = Some(bases);
        names.push(name.into());
        let end = u64::from(*offsets.last().expect("starts with 0")) + bases.len() as u64;
        if end > MAX_REFERENCE_LENGTH {
            return None;
        }
        offsets.push(end as u32);
    }
    let (buffer, start) = first?.buffer();
    let (_, end) = last?.buffer();
    let whole = start.start == 0 && end.end == buffer.len() && !buffer.is_empty();
    let normalised = || buffer.iter().all(|&b| NORMALISED[b as usize] == b);
    (whole && normalised()).then(|| {
        let sequence = SharedBases::slice(buffer, 0..buffer.len());
        (names, offsets, sequence)
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
        Self::new_with_progress(contigs, options, &|_| {})
    }

    /// [`Self::new`], reporting progress to `progress` (from the build's
    /// threads).
    pub fn new_with_progress<'a, N, I>(
        contigs: I,
        options: &IndexOptions,
        progress: ProgressSink,
    ) -> Result<Self, AlignError>
    where
        N: Into<String>,
        I: IntoIterator<Item = (N, &'a [u8])>,
    {
        Self::from_concatenated(concatenate(contigs)?, options, progress)
    }

    /// [`Self::new_with_progress`] over contigs already concatenated (e.g.
    /// shared with their reference by [`share_contigs`]).
    pub fn from_concatenated(
        concatenated: Concatenated,
        options: &IndexOptions,
        progress: ProgressSink,
    ) -> Result<Self, AlignError> {
        let options = options.checked()?;
        Ok(Self::build(concatenated, options, progress))
    }

    /// Builds the index over concatenated contigs with checked `options`,
    /// reporting progress to `progress` (from the build's threads).
    pub(super) fn build(
        (names, offsets, sequence): Concatenated,
        options: &IndexOptions,
        progress: ProgressSink,
    ) -> Self {
        let specs = options.table_specs(sequence.len());
        let mut tables = build_tables(&sequence, &offsets, &specs, options.threads, progress);
        let short_table = (tables.len() > 1).then(|| tables.remove(1));
        let table = tables.remove(0);
        Self::from_parts((names, offsets, sequence), table, short_table)
    }

    /// An index from its parts (its contigs linear).
    pub(super) fn from_parts(
        (names, offsets, sequence): Concatenated,
        table: KmerTable,
        short_table: Option<KmerTable>,
    ) -> Self {
        ReferenceIndex {
            circular: vec![Vec::new(); names.len()],
            names,
            offsets,
            sequence,
            table,
            short_table,
        }
    }

    /// The contigs and bases without the seed tables (which are dropped), and
    /// which contigs are circular.
    pub(super) fn into_contigs(self) -> (Concatenated, Vec<bool>) {
        let circular = self
            .circular
            .iter()
            .map(|bases| !bases.is_empty())
            .collect();
        ((self.names, self.offsets, self.sequence), circular)
    }

    /// The table of the long seeds.
    pub(super) fn table(&self) -> &KmerTable {
        &self.table
    }

    /// The table of the short seeds, `None` when the reference is too large
    /// for short seeds to be specific.
    pub(super) fn short_table(&self) -> Option<&KmerTable> {
        self.short_table.as_ref()
    }

    /// Whether the seed tables are read in place from a mapped index file.
    pub fn is_mapped(&self) -> bool {
        self.table.is_mapped()
    }

    /// Drops the pages of a mapped index file from this process's resident
    /// memory, once no read is being aligned: a later seed lookup reads them
    /// back from the page cache (or the disk). Nothing for tables built in
    /// memory.
    pub fn drop_resident_pages(&self) -> std::io::Result<()> {
        self.table.drop_resident_pages()?;
        self.short_table
            .as_ref()
            .map_or(Ok(()), KmerTable::drop_resident_pages)
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

    /// Memory held by the index, in bytes: the sequence, circular contigs'
    /// copies and both seed tables (mapped from a file or not).
    pub fn memory_bytes(&self) -> usize {
        self.sequence.len()
            + self.circular.iter().map(Vec::len).sum::<usize>()
            + self.table.memory_bytes()
            + self.short_table.as_ref().map_or(0, KmerTable::memory_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::index_of;
    use crate::reference::Reference;

    #[test]
    fn shares_the_bases_of_a_loaded_reference_instead_of_copying_them() {
        let reference = Reference::parse_fasta(&b">a\nACGTNNACGT\n>b\nACGT\n"[..], "test").unwrap();
        let named = || {
            reference
                .contigs
                .iter()
                .map(|c| (c.name.as_str(), &c.sequence))
        };
        let shared = share_contigs(named()).expect("one buffer, end to end");
        let index =
            ReferenceIndex::from_concatenated(shared, &IndexOptions::default(), &|_| {}).unwrap();
        let (buffer, _) = reference.contigs[0].sequence.buffer();
        assert_eq!(index.global_sequence().as_ptr(), buffer.as_ptr());
        assert_eq!(index.contig_sequence(1), b"ACGT");
        assert_eq!(index.contig_offset(1), 10);
        // Out of order, or from buffers of their own, the contigs are copied.
        let reversed = reference
            .contigs
            .iter()
            .rev()
            .map(|c| (c.name.as_str(), &c.sequence));
        assert!(share_contigs(reversed).is_none());
        let own = SharedBases::from(b"acgt".to_vec());
        assert!(share_contigs([("lower", &own)]).is_none());
        assert!(share_contigs([("first", &reference.contigs[0].sequence)]).is_none());
    }

    #[test]
    fn index_rejects_bad_input() {
        let empty: [(&str, &[u8]); 0] = [];
        assert_eq!(
            ReferenceIndex::new(empty, &IndexOptions::default()).unwrap_err(),
            AlignError::EmptyReference
        );
        let even = IndexOptions {
            kmer_length: 20,
            ..IndexOptions::default()
        };
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
