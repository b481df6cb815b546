//! Read mapping: a k-mer index over the reference and a seed-and-extend mapper.
//!
//! How a read is placed:
//! 1. **Seeds.** A few k-mers spread along the read are looked up in a hash
//!    index of every canonical k-mer of the reference (a k-mer and its reverse
//!    complement share one entry, so one look-up serves both strands).
//! 2. **Votes.** Each hit implies a strand and a diagonal (reference position
//!    of the read's first base). Hits whose diagonals lie within the band of
//!    each other form one candidate; the candidate with most votes wins, and a
//!    runner-up with comparable votes is aligned too, to grade the mapping
//!    quality.
//! 3. **Alignment.** If the read matches the reference on the voted diagonal
//!    with only isolated mismatches, no gapped alignment can score better and
//!    the ungapped placement is kept (the common, fast case). Otherwise a
//!    banded affine-gap alignment (local at both read ends, i.e. soft-clipping)
//!    finds insertions and deletions.
//!
//! Results come as [`BatchAlignments`]: one [`ReadPlacement`] per read and a
//! flat list of [`AlignmentEvent`]s (mismatches, insertions, deletions), ready
//! to be turned into pileup evidence without per-read allocation.

use std::error::Error;
use std::fmt;

/// Largest reference (sum of contig lengths) the index accepts: positions are
/// stored in 31 bits.
pub const MAX_REFERENCE_LENGTH: u64 = (1 << 31) - 1;

/// Padding byte for window positions outside the candidate's contig.
const OUTSIDE: u8 = b'#';

/// Upper-case `ACGT` stay, everything else becomes `N`.
static NORMALISED: [u8; 256] = {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'A';
    table[b'C' as usize] = b'C';
    table[b'G' as usize] = b'G';
    table[b'T' as usize] = b'T';
    table[b'a' as usize] = b'A';
    table[b'c' as usize] = b'C';
    table[b'g' as usize] = b'G';
    table[b't' as usize] = b'T';
    table
};

/// Base (either case) → 2-bit code, `4` for `N` and anything else, `5` for
/// [`OUTSIDE`].
static CODE: [u8; 256] = {
    let mut table = [4u8; 256];
    table[b'A' as usize] = 0;
    table[b'C' as usize] = 1;
    table[b'G' as usize] = 2;
    table[b'T' as usize] = 3;
    table[b'a' as usize] = 0;
    table[b'c' as usize] = 1;
    table[b'g' as usize] = 2;
    table[b't' as usize] = 3;
    table[OUTSIDE as usize] = 5;
    table
};

/// Normalised base → its complement (`N` stays `N`).
static COMPLEMENT: [u8; 256] = {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'T';
    table[b'C' as usize] = b'G';
    table[b'G' as usize] = b'C';
    table[b'T' as usize] = b'A';
    table[b'a' as usize] = b'T';
    table[b'c' as usize] = b'G';
    table[b'g' as usize] = b'C';
    table[b't' as usize] = b'A';
    table
};

/// Reverse complement of `sequence`, upper case; bytes other than `ACGT`
/// (either case) become `N`.
pub fn reverse_complement(sequence: &[u8]) -> Vec<u8> {
    sequence
        .iter()
        .rev()
        .map(|&b| COMPLEMENT[b as usize])
        .collect()
}

/// Errors of index building and batch input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlignError {
    /// The reference has no bases.
    EmptyReference,
    /// The reference is longer than [`MAX_REFERENCE_LENGTH`].
    ReferenceTooLong {
        /// Its length in bases.
        length: u64,
    },
    /// The k-mer length is even or outside 11..=31.
    InvalidKmerLength {
        /// The rejected length.
        kmer_length: usize,
    },
    /// A read batch's buffers disagree with each other.
    InvalidBatch {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for AlignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlignError::EmptyReference => write!(f, "the reference has no bases"),
            AlignError::ReferenceTooLong { length } => write!(
                f,
                "the reference has {length} bases; at most {MAX_REFERENCE_LENGTH} are supported"
            ),
            AlignError::InvalidKmerLength { kmer_length } => write!(
                f,
                "k-mer length {kmer_length} is not supported (use an odd length from 11 to 31)"
            ),
            AlignError::InvalidBatch { message } => write!(f, "invalid read batch: {message}"),
        }
    }
}

impl Error for AlignError {}

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
fn canonical_kmer(bases: &[u8]) -> Option<(u64, u64)> {
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
    fn bucket(&self, canonical: u64) -> (&[u64], u64) {
        let hash = mix(canonical);
        let bucket = (hash >> (64 - self.bucket_bits)) as usize;
        let range = self.bucket_starts[bucket] as usize..self.bucket_starts[bucket + 1] as usize;
        (&self.entries[range], hash & 0xffff_ffff)
    }
}

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

/// Strand of the reference a read matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strand {
    /// The read as given matches the reference.
    Forward,
    /// The read's reverse complement matches the reference.
    Reverse,
}

impl Strand {
    /// `'+'` or `'-'`.
    pub fn symbol(self) -> char {
        match self {
            Strand::Forward => '+',
            Strand::Reverse => '-',
        }
    }
}

/// Kind of an [`AlignmentEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// One read base differs from the reference base.
    Mismatch,
    /// Read bases absent from the reference.
    Insertion,
    /// Reference bases absent from the read.
    Deletion,
}

/// A difference between a read and the reference, in reference orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlignmentEvent {
    /// What differs.
    pub kind: EventKind,
    /// 0-based contig position: the mismatched base, the first deleted base,
    /// or the base the insertion precedes. Not yet left-normalised: the
    /// pileup does that.
    pub position: u32,
    /// Mismatch: 1; insertion: inserted bases; deletion: deleted bases.
    pub length: u32,
    /// Mismatch: the read's base (ASCII); otherwise 0.
    pub base: u8,
    /// Phred base quality: the base's (mismatch), the lowest inserted base's
    /// (insertion), the lower of the two flanking bases' (deletion).
    pub quality: u8,
    /// Insertion: start of its bases in [`BatchAlignments::inserted_bases`].
    pub inserted_start: u32,
}

/// Where one read landed (or that it did not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadPlacement {
    /// Whether the read mapped; the other fields are meaningless otherwise.
    pub mapped: bool,
    /// Contig index in the [`ReferenceIndex`].
    pub contig: u32,
    /// 0-based position of the first aligned reference base.
    pub start: u32,
    /// 0-based position after the last aligned reference base.
    pub end: u32,
    /// Strand the read matches.
    pub strand: Strand,
    /// Mapping quality, Phred-like: 60 for a unique placement, 0 when another
    /// placement scores as well.
    pub mapq: u8,
    /// Alignment score (by default: match +1, mismatch −4, gap −(6 + length),
    /// clip −5 per clipped end).
    pub score: i32,
    /// Soft-clipped bases before the alignment, in reference orientation.
    pub clip_start: u16,
    /// Soft-clipped bases after the alignment, in reference orientation.
    pub clip_end: u16,
    /// This read's events are `events[events_start..events_end]`.
    pub events_start: u32,
    /// See [`ReadPlacement::events_start`].
    pub events_end: u32,
}

impl ReadPlacement {
    const UNMAPPED: ReadPlacement = ReadPlacement {
        mapped: false,
        contig: 0,
        start: 0,
        end: 0,
        strand: Strand::Forward,
        mapq: 0,
        score: 0,
        clip_start: 0,
        clip_end: 0,
        events_start: 0,
        events_end: 0,
    };
}

/// A read's difference from the reference, owned (see [`ReadAlignment`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEvent {
    /// A substituted base at `position`.
    Mismatch {
        /// 0-based contig position.
        position: u32,
        /// The read's base (ASCII).
        base: u8,
        /// Its Phred quality.
        quality: u8,
    },
    /// `bases` inserted before `position`.
    Insertion {
        /// 0-based contig position of the base after the insertion.
        position: u32,
        /// Inserted bases (ASCII, reference orientation).
        bases: Vec<u8>,
        /// Lowest Phred quality of the inserted bases.
        quality: u8,
    },
    /// `length` reference bases from `position` missing from the read.
    Deletion {
        /// 0-based contig position of the first deleted base.
        position: u32,
        /// Number of deleted bases.
        length: u32,
        /// Lower Phred quality of the two flanking read bases.
        quality: u8,
    },
}

/// One mapped read with its events, owned: convenient for tests and callers
/// that handle few reads. Batches use the flat [`BatchAlignments`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadAlignment {
    /// Contig index.
    pub contig: u32,
    /// 0-based position of the first aligned reference base.
    pub start: u32,
    /// 0-based position after the last aligned reference base.
    pub end: u32,
    /// Strand.
    pub strand: Strand,
    /// Mapping quality.
    pub mapq: u8,
    /// Alignment score.
    pub score: i32,
    /// Soft-clipped bases before the alignment (reference orientation).
    pub clip_start: u16,
    /// Soft-clipped bases after the alignment (reference orientation).
    pub clip_end: u16,
    /// Differences from the reference, in reference order.
    pub events: Vec<ReadEvent>,
}

/// Counts over one batch, for the per-batch `Analysis` record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Reads in the batch.
    pub reads: u32,
    /// Reads that mapped.
    pub mapped: u32,
    /// Mapped reads with at least one event.
    pub reads_with_events: u32,
    /// Mismatch events.
    pub mismatches: u32,
    /// Insertion events.
    pub insertions: u32,
    /// Deletion events.
    pub deletions: u32,
}

/// Alignments of one batch: a placement per read and flat event lists.
#[derive(Debug, Clone, Default)]
pub struct BatchAlignments {
    /// One entry per read, in batch order.
    pub reads: Vec<ReadPlacement>,
    /// Events of all reads; see [`ReadPlacement::events_start`].
    pub events: Vec<AlignmentEvent>,
    /// Bases of all insertions; see [`AlignmentEvent::inserted_start`].
    pub inserted_bases: Vec<u8>,
}

impl BatchAlignments {
    /// Empties the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.reads.clear();
        self.events.clear();
        self.inserted_bases.clear();
    }

    /// Events of read `index`.
    pub fn events_of(&self, index: usize) -> &[AlignmentEvent] {
        let read = &self.reads[index];
        &self.events[read.events_start as usize..read.events_end as usize]
    }

    /// Inserted bases of an insertion event (empty for other kinds).
    pub fn inserted(&self, event: &AlignmentEvent) -> &[u8] {
        if event.kind != EventKind::Insertion {
            return &[];
        }
        let start = event.inserted_start as usize;
        &self.inserted_bases[start..start + event.length as usize]
    }

    /// Read `index` as an owned [`ReadAlignment`], `None` if unmapped.
    pub fn alignment(&self, index: usize) -> Option<ReadAlignment> {
        let read = &self.reads[index];
        if !read.mapped {
            return None;
        }
        let events = self
            .events_of(index)
            .iter()
            .map(|event| match event.kind {
                EventKind::Mismatch => ReadEvent::Mismatch {
                    position: event.position,
                    base: event.base,
                    quality: event.quality,
                },
                EventKind::Insertion => ReadEvent::Insertion {
                    position: event.position,
                    bases: self.inserted(event).to_vec(),
                    quality: event.quality,
                },
                EventKind::Deletion => ReadEvent::Deletion {
                    position: event.position,
                    length: event.length,
                    quality: event.quality,
                },
            })
            .collect();
        Some(ReadAlignment {
            contig: read.contig,
            start: read.start,
            end: read.end,
            strand: read.strand,
            mapq: read.mapq,
            score: read.score,
            clip_start: read.clip_start,
            clip_end: read.clip_end,
            events,
        })
    }

    /// Counts of reads, mapped reads and events.
    pub fn summary(&self) -> BatchSummary {
        let mut summary = BatchSummary {
            reads: self.reads.len() as u32,
            ..BatchSummary::default()
        };
        for read in self.reads.iter().filter(|r| r.mapped) {
            summary.mapped += 1;
            if read.events_end > read.events_start {
                summary.reads_with_events += 1;
            }
        }
        for event in &self.events {
            match event.kind {
                EventKind::Mismatch => summary.mismatches += 1,
                EventKind::Insertion => summary.insertions += 1,
                EventKind::Deletion => summary.deletions += 1,
            }
        }
        summary
    }
}

/// Tuning of [`Mapper`]. The defaults suit 100–250 bp Illumina-like reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapperOptions {
    /// Seeds looked up per read (spread evenly over it).
    pub seeds_per_read: usize,
    /// Seeds with more reference occurrences than this are ignored as repeats.
    pub max_seed_occurrences: usize,
    /// Half-width of the alignment band: the largest net indel length found.
    pub band: usize,
    /// Score of a matching base.
    pub match_score: i32,
    /// Penalty of a mismatching base.
    pub mismatch_penalty: i32,
    /// Penalty of opening a gap (a gap of length `l` costs
    /// `gap_open + l * gap_extend`).
    pub gap_open: i32,
    /// Penalty per gap base.
    pub gap_extend: i32,
    /// Penalty of soft-clipping one end of the read.
    pub clip_penalty: i32,
    /// Penalty of a base facing `N` (in the read or the reference).
    pub ambiguous_penalty: i32,
    /// Alignments scoring less are reported unmapped.
    pub min_score: i32,
    /// Mismatches closer than this on the voted diagonal send the read to
    /// gapped alignment (an indel shows as a run of mismatches).
    pub mismatch_cluster_distance: usize,
}

impl Default for MapperOptions {
    fn default() -> Self {
        MapperOptions {
            seeds_per_read: 12,
            max_seed_occurrences: 64,
            band: 16,
            match_score: 1,
            mismatch_penalty: 4,
            gap_open: 6,
            gap_extend: 1,
            clip_penalty: 5,
            ambiguous_penalty: 1,
            min_score: 30,
            mismatch_cluster_distance: 10,
        }
    }
}

/// Alignment operation of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Match,
    Insertion,
    Deletion,
}

/// One candidate placement: strand and diagonal (global reference position
/// of the oriented read's first base).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    strand: Strand,
    diagonal: i64,
    votes: u32,
}

/// Reusable buffers of the banded alignment.
#[derive(Debug, Clone, Default)]
struct DpScratch {
    read_codes: Vec<u8>,
    score_rows: Vec<i32>,
    h_prev: Vec<i32>,
    h_cur: Vec<i32>,
    f_prev: Vec<i32>,
    f_cur: Vec<i32>,
    e_row: Vec<i32>,
    traceback: Vec<u8>,
}

/// "Minus infinity" that survives adding a few penalties without overflow.
const NEG: i32 = i32::MIN / 4;

/// Maps reads to a [`ReferenceIndex`]. Holds scratch buffers only: make one
/// per thread and reuse it across batches.
#[derive(Debug, Clone, Default)]
pub struct Mapper {
    options: MapperOptions,
    /// The read, normalised, as given and reverse-complemented (filled only
    /// when a reverse-strand candidate is aligned), with Phred qualities.
    forward: Vec<u8>,
    forward_qualities: Vec<u8>,
    reverse: Vec<u8>,
    reverse_qualities: Vec<u8>,
    hits: Vec<u64>,
    candidates: Vec<Candidate>,
    window: Vec<u8>,
    dp: DpScratch,
    /// Runs of operations of the alignment being built and of the best one.
    ops: Vec<(Op, u32)>,
    best_ops: Vec<(Op, u32)>,
    columns: Vec<Op>,
    single: BatchAlignments,
}

/// A scored alignment of the oriented read; its operations are in the
/// mapper's scratch.
#[derive(Debug, Clone, Copy)]
struct Scored {
    score: i32,
    mapq: u8,
    strand: Strand,
    contig: usize,
    /// Global coordinate of the first aligned reference base.
    ref_start: u32,
    /// Global coordinate after the last aligned reference base.
    ref_end: u32,
    clip_start: usize,
    clip_end: usize,
}

/// Hits are packed as `strand << 40 | (diagonal + DIAGONAL_BIAS)` so that
/// sorting groups them by strand, then diagonal.
const DIAGONAL_BIAS: i64 = 1 << 33;

#[inline]
fn pack_hit(strand: Strand, diagonal: i64) -> u64 {
    ((strand == Strand::Reverse) as u64) << 40 | (diagonal + DIAGONAL_BIAS) as u64
}

#[inline]
fn unpack_hit(hit: u64) -> (Strand, i64) {
    let strand = if hit >> 40 == 1 {
        Strand::Reverse
    } else {
        Strand::Forward
    };
    (strand, (hit & ((1 << 40) - 1)) as i64 - DIAGONAL_BIAS)
}

/// Calls `visit(i)` for every index where `a` and `b` differ, comparing
/// eight bytes at a time (most reads differ in at most a few places).
/// Stops early, returning `false`, when `visit` does.
#[inline]
fn for_each_difference(a: &[u8], b: &[u8], mut visit: impl FnMut(usize) -> bool) -> bool {
    let length = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= length {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let mut diff = x ^ y;
        while diff != 0 {
            let byte = diff.trailing_zeros() as usize / 8;
            if !visit(i + byte) {
                return false;
            }
            diff &= !(0xffu64 << (byte * 8));
        }
        i += 8;
    }
    while i < length {
        if a[i] != b[i] && !visit(i) {
            return false;
        }
        i += 1;
    }
    true
}

/// Score of `read` laid on `reference` without gaps, or `None` when two
/// mismatches are closer than the cluster distance, and the gapped alignment
/// must decide. An indel shifts everything after it, which on the unshifted
/// diagonal shows as a run of mismatches (three in four bases, outside
/// repeats); isolated mismatches are substitutions. A single mismatch can
/// never be bettered (a gap costs at least 7, a clip 5 plus the lost matches,
/// a mismatch 5 below a match).
fn ungapped_score(read: &[u8], reference: &[u8], options: &MapperOptions) -> Option<i32> {
    let mut mismatches = 0i32;
    let mut ambiguous = 0i32;
    let mut last_mismatch: Option<usize> = None;
    let isolated = for_each_difference(read, reference, |i| {
        if read[i] == b'N' || reference[i] == b'N' {
            ambiguous += 1;
            return true;
        }
        if last_mismatch.is_some_and(|last| i - last < options.mismatch_cluster_distance) {
            return false;
        }
        last_mismatch = Some(i);
        mismatches += 1;
        true
    });
    if !isolated {
        return None;
    }
    let matches = read.len() as i32 - mismatches - ambiguous;
    Some(
        matches * options.match_score
            - mismatches * options.mismatch_penalty
            - ambiguous * options.ambiguous_penalty,
    )
}

/// Outcome of [`banded_align`], in read and window coordinates.
#[derive(Debug, Clone, Copy)]
struct DpResult {
    score: i32,
    clip_start: usize,
    clip_end: usize,
    /// Window index of the first aligned reference base.
    window_start: usize,
    /// Window index after the last aligned reference base.
    window_end: usize,
}

/// Traceback cell: bits 0–1 say where H came from (0 diagonal, 1 diagonal
/// after a start clip, 2 deletion, 3 insertion); bit 2 is set when the
/// deletion extends one, bit 3 when the insertion does.
const FROM_DIAGONAL: u8 = 0;
const FROM_START: u8 = 1;
const FROM_DELETION: u8 = 2;
const FROM_INSERTION: u8 = 3;

/// Banded affine-gap alignment of `read` against `window`, which holds the
/// reference from `band` bases before the read's diagonal to `band` bases
/// after its end. The whole read is aligned except for soft clips at either
/// end, each costing `clip_penalty` (so it is local at the ends, global in
/// between). Operations are written to `ops` as runs.
fn banded_align(
    read: &[u8],
    window: &[u8],
    band: usize,
    options: &MapperOptions,
    dp: &mut DpScratch,
    columns: &mut Vec<Op>,
    ops: &mut Vec<(Op, u32)>,
) -> Option<DpResult> {
    let length = read.len();
    let width = 2 * band + 1;
    debug_assert_eq!(window.len(), length + 2 * band);

    // Substitution scores by read code (0–3, 4 = N) and window code
    // (0–3, 4 = N, 5 = outside the contig).
    let (hit, miss, ambiguous) = (
        options.match_score,
        -options.mismatch_penalty,
        -options.ambiguous_penalty,
    );
    let outside = -10_000;
    let mut profile = [[outside; 8]; 5];
    for (r, row) in profile.iter_mut().enumerate() {
        for (w, score) in row.iter_mut().enumerate().take(6) {
            *score = match (r, w) {
                (_, 5) => outside,
                (4, _) | (_, 4) => ambiguous,
                (r, w) if r == w => hit,
                _ => miss,
            };
        }
    }
    // Row `c` of `score_rows` scores read code `c` against every window
    // position, so each DP row reads its scores as one contiguous slice.
    let window_length = window.len();
    dp.score_rows.clear();
    for row in &profile {
        dp.score_rows
            .extend(window.iter().map(|&b| row[CODE[b as usize] as usize & 7]));
    }
    dp.read_codes.clear();
    dp.read_codes.extend(read.iter().map(|&b| CODE[b as usize]));

    let gap_first = options.gap_open + options.gap_extend;
    let gap_next = options.gap_extend;
    let clip = options.clip_penalty;
    // Rows as local vectors (not behind `dp`) so the compiler keeps their
    // pointers in registers; one extra cell per row, always NEG, stands for
    // "outside the band".
    let mut h_prev = std::mem::take(&mut dp.h_prev);
    let mut h_cur = std::mem::take(&mut dp.h_cur);
    let mut f_prev = std::mem::take(&mut dp.f_prev);
    let mut f_cur = std::mem::take(&mut dp.f_cur);
    let mut e_row = std::mem::take(&mut dp.e_row);
    for row in [&mut h_prev, &mut h_cur, &mut f_prev, &mut f_cur, &mut e_row] {
        row.clear();
        row.resize(width + 1, NEG);
    }
    h_prev[..width].fill(0);
    let traceback = &mut dp.traceback;
    traceback.clear();
    traceback.resize(length * width, 0);

    let mut best = (NEG, 0usize, 0usize);
    for i in 1..=length {
        let row_start = dp.read_codes[i - 1] as usize * window_length + i - 1;
        let scores = &dp.score_rows[row_start..row_start + width];
        let start = if i == 1 { 0 } else { -clip };
        let row_traceback = &mut traceback[(i - 1) * width..i * width];
        let (up, f_up) = (&h_prev[..=width], &f_prev[..=width]);
        let (here, f_here) = (&mut h_cur[..width], &mut f_cur[..width]);
        // Pass 1 (vectorisable: depends on the previous row only): the
        // diagonal move and insertions.
        for b in 0..width {
            let up_left = up[b];
            let diagonal = up_left.max(start) + scores[b];
            let (f_open, f_extend) = (up[b + 1] - gap_first, f_up[b + 1] - gap_next);
            let f = f_open.max(f_extend);
            f_here[b] = f;
            here[b] = diagonal.max(f);
            // Ties favour the diagonal.
            let source = if f > diagonal {
                FROM_INSERTION
            } else {
                FROM_DIAGONAL + (up_left < start) as u8
            };
            row_traceback[b] = source | ((f_extend > f_open) as u8) << 3;
        }
        // Pass 2 (sequential, one max per cell): deletions. Opening from a
        // cell that itself ends in a deletion never beats extending that
        // deletion, so deletions open from the diagonal-or-insertion score.
        let e_row = &mut e_row[..width];
        let mut e = NEG;
        e_row[0] = NEG;
        for b in 1..width {
            e = (here[b - 1] - gap_first).max(e - gap_next);
            e_row[b] = e;
        }
        // Pass 3 (vectorisable): take deletions where they win.
        for b in 1..width {
            let e = e_row[b];
            let extended = (e_row[b - 1] - gap_next > here[b - 1] - gap_first) as u8;
            let mut cell = row_traceback[b] | extended << 2;
            if e > here[b] {
                cell = (cell & !3) | FROM_DELETION;
            }
            row_traceback[b] = cell;
        }
        for b in 1..width {
            here[b] = here[b].max(e_row[b]);
        }
        // An alignment never profits from ending in a gap (the cell before
        // the gap scores higher and is met first), so the row maximum is the
        // best end in this row.
        let row_best = here.iter().copied().max().unwrap_or(NEG);
        let end_score = if i == length {
            row_best
        } else {
            row_best - clip
        };
        if end_score > best.0 {
            let b = here.iter().position(|&h| h == row_best).unwrap_or(0);
            best = (end_score, i, b);
        }
        std::mem::swap(&mut h_prev, &mut h_cur);
        std::mem::swap(&mut f_prev, &mut f_cur);
    }
    dp.h_prev = h_prev;
    dp.h_cur = h_cur;
    dp.f_prev = f_prev;
    dp.f_cur = f_cur;
    dp.e_row = e_row;
    let (score, end_i, end_b) = best;
    if score <= NEG / 2 {
        return None;
    }

    #[derive(PartialEq)]
    enum State {
        Best,
        Deletion,
        Insertion,
    }
    columns.clear();
    let (mut i, mut b) = (end_i, end_b);
    let mut state = State::Best;
    loop {
        if state == State::Best && i == 0 {
            break;
        }
        let cell = dp.traceback[(i - 1) * width + b];
        match state {
            State::Best => match cell & 3 {
                FROM_DIAGONAL => {
                    columns.push(Op::Match);
                    i -= 1;
                }
                FROM_START => {
                    columns.push(Op::Match);
                    i -= 1;
                    break;
                }
                FROM_DELETION => state = State::Deletion,
                _ => state = State::Insertion,
            },
            State::Deletion => {
                columns.push(Op::Deletion);
                if cell >> 2 & 1 == 0 {
                    state = State::Best;
                }
                b -= 1;
            }
            State::Insertion => {
                columns.push(Op::Insertion);
                if cell >> 3 & 1 == 0 {
                    state = State::Best;
                }
                i -= 1;
                b += 1;
            }
        }
    }
    let window_start = i + b;
    let mut clip_start = i;
    // An alignment may only open with an insertion against padding; such
    // bases are really clipped.
    while columns.last() == Some(&Op::Insertion) {
        columns.pop();
        clip_start += 1;
    }
    ops.clear();
    for &op in columns.iter().rev() {
        match ops.last_mut() {
            Some((last, count)) if *last == op => *count += 1,
            _ => ops.push((op, 1)),
        }
    }
    Some(DpResult {
        score,
        clip_start,
        clip_end: length - end_i,
        window_start,
        window_end: end_i + end_b,
    })
}

/// Where a read's seeds go: `seeds` k-mers spread evenly from its first to
/// its last base. The first, last and middle seeds form the first round,
/// which settles most reads; the rest are looked up only when those
/// disagree, miss, or align poorly.
#[derive(Debug, Clone, Copy)]
struct SeedPlan {
    seeds: usize,
    span: usize,
    first_round: [usize; 3],
    first_round_len: usize,
}

impl SeedPlan {
    /// The plan for a read of `length`, `None` if it is shorter than `k`.
    fn new(length: usize, k: usize, seeds_per_read: usize) -> Option<Self> {
        let span = length.checked_sub(k)?;
        let seeds = seeds_per_read.clamp(1, span + 1);
        let mut first_round = [0, seeds / 2, seeds - 1];
        let mut first_round_len = 1;
        for j in 1..3 {
            if first_round[j] != first_round[first_round_len - 1] {
                first_round[first_round_len] = first_round[j];
                first_round_len += 1;
            }
        }
        Some(SeedPlan {
            seeds,
            span,
            first_round,
            first_round_len,
        })
    }

    /// Read offset of seed `s`.
    fn offset(&self, s: usize) -> usize {
        if self.seeds == 1 {
            0
        } else {
            s * self.span / (self.seeds - 1)
        }
    }

    /// Seeds of the first round.
    fn first_round(&self) -> &[usize] {
        &self.first_round[..self.first_round_len]
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
enum PrefetchStage {
    /// The first-round seeds' bucket bounds.
    Buckets,
    /// The first-round seeds' bucket entries.
    Entries,
    /// The reference where the first seed with a hit places the read.
    Reference,
}

impl ReferenceIndex {
    /// Prefetches what mapping read `bases` will touch at `stage`.
    fn prefetch(&self, bases: &[u8], seeds_per_read: usize, stage: PrefetchStage) {
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

impl Mapper {
    /// A mapper with the given options.
    pub fn new(options: MapperOptions) -> Self {
        Mapper {
            options,
            ..Mapper::default()
        }
    }

    /// The mapper's options.
    pub fn options(&self) -> &MapperOptions {
        &self.options
    }

    /// Maps every read of `batch`, replacing the contents of `out`.
    pub fn map_batch(
        &mut self,
        index: &ReferenceIndex,
        batch: &ReadBatch<'_>,
        out: &mut BatchAlignments,
    ) {
        out.clear();
        out.reads.reserve(batch.len());
        let seeds = self.options.seeds_per_read;
        let reads = batch.len();
        // Index and reference look-ups are random memory accesses; issuing
        // them for the next reads while this one is mapped hides most of
        // their latency. Three reads ahead the bucket bounds are fetched, two
        // ahead the entries (bounds now cached), one ahead the reference.
        let stages = [
            PrefetchStage::Reference,
            PrefetchStage::Entries,
            PrefetchStage::Buckets,
        ];
        for i in 0..reads {
            for (ahead, &stage) in stages.iter().enumerate() {
                if i + ahead + 1 < reads {
                    index.prefetch(batch.read(i + ahead + 1).0, seeds, stage);
                }
            }
            let (bases, qualities) = batch.read(i);
            self.map_into(index, bases, qualities, out);
        }
    }

    /// Maps one read (ASCII bases, Phred+33 qualities of the same length);
    /// `None` when it does not map.
    pub fn map_read(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
    ) -> Option<ReadAlignment> {
        let mut single = std::mem::take(&mut self.single);
        single.clear();
        self.map_into(index, bases, qualities, &mut single);
        let alignment = single.alignment(0);
        self.single = single;
        alignment
    }

    /// Maps one read and appends its placement and events to `out`.
    fn map_into(
        &mut self,
        index: &ReferenceIndex,
        bases: &[u8],
        qualities: &[u8],
        out: &mut BatchAlignments,
    ) {
        let length = bases.len().min(qualities.len());
        self.forward.clear();
        self.forward
            .extend(bases[..length].iter().map(|&b| NORMALISED[b as usize]));
        self.forward_qualities.clear();
        self.forward_qualities
            .extend(qualities[..length].iter().map(|&q| q.saturating_sub(33)));
        self.reverse.clear();
        self.reverse_qualities.clear();

        let placement = match self.place(index) {
            Some(scored) => self.emit(index, scored, out),
            None => ReadPlacement {
                events_start: out.events.len() as u32,
                events_end: out.events.len() as u32,
                ..ReadPlacement::UNMAPPED
            },
        };
        out.reads.push(placement);
    }

    /// Seeds, votes and aligns the read in `self.forward`; the best alignment
    /// is returned with its operations in `self.best_ops`.
    fn place(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let k = index.kmer_length();
        let length = self.forward.len();
        let plan = SeedPlan::new(length, k, self.options.seeds_per_read)?;
        let first_round = plan.first_round();
        self.hits.clear();
        for &s in first_round {
            self.seed(index, plan.offset(s));
        }
        self.vote();
        if self.candidates.len() == 1 && self.candidates[0].votes >= 2 {
            let candidate = self.candidates[0];
            if let Some(scored) = self.align_candidate(index, candidate) {
                if scored.score >= self.options.min_score {
                    std::mem::swap(&mut self.ops, &mut self.best_ops);
                    return Some(Scored { mapq: 60, ..scored });
                }
            }
        }
        if plan.seeds > first_round.len() {
            for s in (0..plan.seeds).filter(|s| !first_round.contains(s)) {
                self.seed(index, plan.offset(s));
            }
            self.vote();
        }
        self.best_of_candidates(index)
    }

    /// Looks up the read's k-mer at `offset` and records the strand and
    /// diagonal of each reference occurrence.
    fn seed(&mut self, index: &ReferenceIndex, offset: usize) {
        let k = index.kmer_length();
        let length = self.forward.len();
        let Some((canonical, orientation)) = canonical_kmer(&self.forward[offset..offset + k])
        else {
            return;
        };
        let (entries, check) = index.bucket(canonical);
        let occurrences = entries.iter().filter(|&&e| e >> 32 == check).count();
        if occurrences > self.options.max_seed_occurrences {
            return;
        }
        for &entry in entries.iter().filter(|&&e| e >> 32 == check) {
            let position = ((entry & 0xffff_ffff) >> 1) as i64;
            let hit = if entry & 1 == orientation {
                pack_hit(Strand::Forward, position - offset as i64)
            } else {
                pack_hit(Strand::Reverse, position - (length - offset - k) as i64)
            };
            self.hits.push(hit);
        }
    }

    /// Groups hits into candidates (same strand, diagonals within one band),
    /// each placed on its most voted diagonal, best first.
    fn vote(&mut self) {
        self.hits.sort_unstable();
        self.candidates.clear();
        let band = self.options.band as i64;
        let mut i = 0;
        while i < self.hits.len() {
            let (strand, first) = unpack_hit(self.hits[i]);
            let mut end = i + 1;
            while end < self.hits.len() {
                let (s, d) = unpack_hit(self.hits[end]);
                if s != strand || d - first > band {
                    break;
                }
                end += 1;
            }
            let (mut diagonal, mut most) = (first, 0);
            let mut run_start = i;
            while run_start < end {
                let run_end = (run_start..end)
                    .find(|&j| self.hits[j] != self.hits[run_start])
                    .unwrap_or(end);
                if run_end - run_start > most {
                    most = run_end - run_start;
                    diagonal = unpack_hit(self.hits[run_start]).1;
                }
                run_start = run_end;
            }
            self.candidates.push(Candidate {
                strand,
                diagonal,
                votes: (end - i) as u32,
            });
            i = end;
        }
        // Stable: among equal votes the leftmost placement comes first.
        self.candidates.sort_by_key(|c| std::cmp::Reverse(c.votes));
    }

    /// Aligns the leading candidates and keeps the best; the runner-up's
    /// score grades the mapping quality.
    fn best_of_candidates(&mut self, index: &ReferenceIndex) -> Option<Scored> {
        let top_votes = self.candidates.first()?.votes;
        let tried = self
            .candidates
            .iter()
            .take(3)
            .filter(|c| c.votes * 2 >= top_votes)
            .count();
        let mut best: Option<Scored> = None;
        let mut second = NEG;
        for i in 0..tried {
            let candidate = self.candidates[i];
            let Some(scored) = self.align_candidate(index, candidate) else {
                continue;
            };
            match best {
                Some(b) if scored.score <= b.score => second = second.max(scored.score),
                _ => {
                    if let Some(b) = best {
                        second = second.max(b.score);
                    }
                    best = Some(scored);
                    std::mem::swap(&mut self.ops, &mut self.best_ops);
                }
            }
        }
        let best = best.filter(|b| b.score >= self.options.min_score)?;
        let mapq = if second == NEG {
            60
        } else {
            ((best.score - second) * 6).clamp(0, 60) as u8
        };
        Some(Scored { mapq, ..best })
    }

    /// Aligns the read (oriented for `candidate.strand`) around the
    /// candidate's diagonal, within the contig holding the read's middle.
    /// Operations go to `self.ops`.
    fn align_candidate(&mut self, index: &ReferenceIndex, candidate: Candidate) -> Option<Scored> {
        let length = self.forward.len();
        if candidate.strand == Strand::Reverse && self.reverse.is_empty() {
            self.reverse
                .extend(self.forward.iter().rev().map(|&b| COMPLEMENT[b as usize]));
            self.reverse_qualities
                .extend(self.forward_qualities.iter().rev());
        }
        let read: &[u8] = match candidate.strand {
            Strand::Forward => &self.forward,
            Strand::Reverse => &self.reverse,
        };
        let total = index.total_length() as i64;
        let middle = (candidate.diagonal + length as i64 / 2).clamp(0, total - 1);
        let (contig, _) = index.locate(middle as u32);
        let contig_start = index.contig_offset(contig) as i64;
        let contig_end = contig_start + index.contig_length(contig) as i64;
        let sequence = index.global_sequence();
        let diagonal = candidate.diagonal;

        if diagonal >= contig_start && diagonal + length as i64 <= contig_end {
            let reference = &sequence[diagonal as usize..diagonal as usize + length];
            if let Some(score) = ungapped_score(read, reference, &self.options) {
                self.ops.clear();
                self.ops.push((Op::Match, length as u32));
                return Some(Scored {
                    score,
                    mapq: 0,
                    strand: candidate.strand,
                    contig,
                    ref_start: diagonal as u32,
                    ref_end: (diagonal + length as i64) as u32,
                    clip_start: 0,
                    clip_end: 0,
                });
            }
        }

        let band = self.options.band;
        let window_start = diagonal - band as i64;
        self.window.clear();
        self.window.extend((0..(length + 2 * band) as i64).map(|x| {
            let global = window_start + x;
            if global >= contig_start && global < contig_end {
                sequence[global as usize]
            } else {
                OUTSIDE
            }
        }));
        let result = banded_align(
            read,
            &self.window,
            band,
            &self.options,
            &mut self.dp,
            &mut self.columns,
            &mut self.ops,
        )?;
        Some(Scored {
            score: result.score,
            mapq: 0,
            strand: candidate.strand,
            contig,
            ref_start: (window_start + result.window_start as i64) as u32,
            ref_end: (window_start + result.window_end as i64) as u32,
            clip_start: result.clip_start,
            clip_end: result.clip_end,
        })
    }

    /// Appends the events of the alignment in `self.best_ops` to `out` and
    /// returns the read's placement.
    fn emit(
        &self,
        index: &ReferenceIndex,
        scored: Scored,
        out: &mut BatchAlignments,
    ) -> ReadPlacement {
        let (read, qualities) = match scored.strand {
            Strand::Forward => (&self.forward, &self.forward_qualities),
            Strand::Reverse => (&self.reverse, &self.reverse_qualities),
        };
        let offset = index.contig_offset(scored.contig);
        let sequence = index.global_sequence();
        let events_start = out.events.len() as u32;
        let (mut r, mut g) = (scored.clip_start, scored.ref_start as usize);
        for &(op, count) in &self.best_ops {
            let count = count as usize;
            match op {
                Op::Match => {
                    let (read_run, reference_run) = (&read[r..r + count], &sequence[g..g + count]);
                    for_each_difference(read_run, reference_run, |i| {
                        let (base, reference_base) = (read_run[i], reference_run[i]);
                        if base != b'N' && reference_base != b'N' {
                            out.events.push(AlignmentEvent {
                                kind: EventKind::Mismatch,
                                position: (g + i) as u32 - offset,
                                length: 1,
                                base,
                                quality: qualities[r + i],
                                inserted_start: 0,
                            });
                        }
                        true
                    });
                    r += count;
                    g += count;
                }
                Op::Insertion => {
                    let bases = &read[r..r + count];
                    // An insertion of unknown bases is no evidence of any allele.
                    if !bases.contains(&b'N') {
                        out.events.push(AlignmentEvent {
                            kind: EventKind::Insertion,
                            position: g as u32 - offset,
                            length: count as u32,
                            base: 0,
                            quality: qualities[r..r + count].iter().copied().min().unwrap_or(0),
                            inserted_start: out.inserted_bases.len() as u32,
                        });
                        out.inserted_bases.extend_from_slice(bases);
                    }
                    r += count;
                }
                Op::Deletion => {
                    out.events.push(AlignmentEvent {
                        kind: EventKind::Deletion,
                        position: g as u32 - offset,
                        length: count as u32,
                        base: 0,
                        quality: qualities[r - 1].min(qualities[r]),
                        inserted_start: 0,
                    });
                    g += count;
                }
            }
        }
        ReadPlacement {
            mapped: true,
            contig: scored.contig as u32,
            start: scored.ref_start - offset,
            end: scored.ref_end - offset,
            strand: scored.strand,
            mapq: scored.mapq,
            score: scored.score,
            clip_start: scored.clip_start.min(u16::MAX as usize) as u16,
            clip_end: scored.clip_end.min(u16::MAX as usize) as u16,
            events_start,
            events_end: out.events.len() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::simulation::Rng;

    fn index_of(contigs: &[(&str, &[u8])]) -> ReferenceIndex {
        ReferenceIndex::new(contigs.iter().copied(), &IndexOptions::default()).unwrap()
    }

    fn qualities(length: usize) -> Vec<u8> {
        vec![b'I'; length]
    }

    /// A 20 kbp random reference (one contig) and a mapper.
    fn setup(seed: u64) -> (Vec<u8>, ReferenceIndex, Mapper) {
        let reference = Rng::new(seed).bases(20_000);
        let index = index_of(&[("chr1", &reference)]);
        (reference, index, Mapper::new(MapperOptions::default()))
    }

    #[test]
    fn reverse_complement_complements_and_reverses() {
        assert_eq!(reverse_complement(b"ACGTTN"), b"NAACGT");
        assert_eq!(reverse_complement(b"acgRt"), b"ANCGT");
        assert_eq!(reverse_complement(b""), b"");
        let sequence = Rng::new(1).bases(101);
        assert_eq!(reverse_complement(&reverse_complement(&sequence)), sequence);
    }

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
    fn maps_exact_reads_on_both_strands() {
        let (reference, index, mut mapper) = setup(2);
        let read = &reference[5_000..5_150];
        let forward = mapper.map_read(&index, read, &qualities(150)).unwrap();
        assert_eq!(
            (forward.contig, forward.start, forward.end),
            (0, 5_000, 5_150)
        );
        assert_eq!(forward.strand, Strand::Forward);
        assert_eq!((forward.mapq, forward.score), (60, 150));
        assert!(forward.events.is_empty());

        let reverse = mapper
            .map_read(&index, &reverse_complement(read), &qualities(150))
            .unwrap();
        assert_eq!((reverse.start, reverse.end), (5_000, 5_150));
        assert_eq!(reverse.strand, Strand::Reverse);
        assert!(reverse.events.is_empty());
    }

    #[test]
    fn reports_mismatches_in_reference_orientation() {
        let (reference, index, mut mapper) = setup(3);
        let mut read = reference[8_000..8_150].to_vec();
        let alternate = if read[40] == b'A' { b'C' } else { b'A' };
        read[40] = alternate;
        let mut quals = qualities(150);
        quals[40] = b'5'; // Phred 20

        let forward = mapper.map_read(&index, &read, &quals).unwrap();
        let expected = vec![ReadEvent::Mismatch {
            position: 8_040,
            base: alternate,
            quality: 20,
        }];
        assert_eq!(forward.events, expected);

        let reversed_quals: Vec<u8> = quals.iter().rev().copied().collect();
        let reverse = mapper
            .map_read(&index, &reverse_complement(&read), &reversed_quals)
            .unwrap();
        assert_eq!(reverse.strand, Strand::Reverse);
        assert_eq!(reverse.events, expected);
    }

    /// A read from `start` with `inserted` bases placed after `at` read bases.
    fn read_with_insertion(reference: &[u8], start: usize, at: usize, inserted: &[u8]) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(inserted);
        read.extend_from_slice(&reference[start + at..start + 150 - inserted.len()]);
        read
    }

    /// A read from `start` missing `length` reference bases after `at` bases.
    fn read_with_deletion(reference: &[u8], start: usize, at: usize, length: usize) -> Vec<u8> {
        let mut read = reference[start..start + at].to_vec();
        read.extend_from_slice(&reference[start + at + length..start + 150 + length]);
        read
    }

    #[test]
    fn finds_insertions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(4);
        // Inserted bases that cannot be mistaken for the flanking reference.
        for (at, inserted) in [
            (75, b"GATTACA".as_slice()),
            (14, b"TT"),
            (136, b"CCG"),
            (141, b"TT"),
            (9, b"A"),
        ] {
            let start = 3_000;
            let mut bases = inserted.to_vec();
            if reference[start + at - 1] == bases[bases.len() - 1] {
                bases = bases
                    .iter()
                    .map(|&b| if b == b'A' { b'C' } else { b'A' })
                    .collect();
            }
            let read = read_with_insertion(&reference, start, at, &bases);
            for (strand, bases_in) in [
                (Strand::Forward, read.clone()),
                (Strand::Reverse, reverse_complement(&read)),
            ] {
                let alignment = mapper.map_read(&index, &bases_in, &qualities(150)).unwrap();
                assert_eq!(alignment.strand, strand);
                assert_eq!(alignment.start, start as u32, "insertion after {at} bases");
                let insertions: Vec<_> = alignment
                    .events
                    .iter()
                    .filter(|e| matches!(e, ReadEvent::Insertion { .. }))
                    .collect();
                assert_eq!(
                    insertions.len(),
                    1,
                    "insertion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Insertion {
                    position,
                    bases: found,
                    ..
                } = insertions[0]
                else {
                    unreachable!()
                };
                // The aligner may place an indel anywhere in its repeat; the
                // pileup normalises. Compare normalised forms.
                let mut expected = bases.clone();
                let expected_position =
                    crate::pileup::left_shift_insertion(&reference, start + at, &mut expected);
                let mut found = found.clone();
                let found_position =
                    crate::pileup::left_shift_insertion(&reference, *position as usize, &mut found);
                assert_eq!((found_position, found), (expected_position, expected));
                assert_eq!(alignment.events.len(), 1, "{:?}", alignment.events);
            }
        }
    }

    #[test]
    fn finds_deletions_in_the_middle_and_near_both_ends() {
        let (reference, index, mut mapper) = setup(5);
        for (at, length) in [(70, 10), (15, 3), (133, 4), (100, 1), (8, 2), (141, 1)] {
            let start = 11_000;
            let read = read_with_deletion(&reference, start, at, length);
            for bases in [read.clone(), reverse_complement(&read)] {
                let alignment = mapper.map_read(&index, &bases, &qualities(150)).unwrap();
                assert_eq!(alignment.start, start as u32);
                assert_eq!(alignment.end, (start + 150 + length) as u32);
                assert_eq!(
                    alignment.events.len(),
                    1,
                    "deletion after {at}: {:?}",
                    alignment.events
                );
                let ReadEvent::Deletion {
                    position,
                    length: found,
                    ..
                } = alignment.events[0]
                else {
                    panic!("expected a deletion, got {:?}", alignment.events);
                };
                assert_eq!(found as usize, length);
                let normalised =
                    crate::pileup::left_shift_deletion(&reference, position as usize, length);
                let expected = crate::pileup::left_shift_deletion(&reference, start + at, length);
                assert_eq!(normalised, expected);
            }
        }
    }

    #[test]
    fn soft_clips_an_end_that_does_not_belong() {
        let (reference, index, mut mapper) = setup(6);
        let mut read = reference[2_000..2_130].to_vec();
        read.extend_from_slice(&Rng::new(99).bases(20));
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.start, 2_000);
        assert!(alignment.clip_end >= 15, "clip_end {}", alignment.clip_end);
        assert!(alignment.end <= 2_135);
        assert!(alignment.events.len() <= 2, "{:?}", alignment.events);
    }

    #[test]
    fn maps_reads_with_n_without_reporting_them() {
        let (reference, index, mut mapper) = setup(7);
        let mut read = reference[9_000..9_150].to_vec();
        for i in [0, 1, 30, 31, 32, 77, 149] {
            read[i] = b'N';
        }
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!((alignment.start, alignment.end), (9_000, 9_150));
        assert!(alignment.events.is_empty(), "{:?}", alignment.events);
        // Lower case is accepted too.
        let lower = reference[9_000..9_150].to_ascii_lowercase();
        assert_eq!(
            mapper
                .map_read(&index, &lower, &qualities(150))
                .unwrap()
                .start,
            9_000
        );
        // A read of N only does not map.
        assert!(mapper
            .map_read(&index, &[b'N'; 150], &qualities(150))
            .is_none());
    }

    #[test]
    fn reports_unmapped_reads() {
        let (_, index, mut mapper) = setup(8);
        let foreign = Rng::new(1234).bases(150);
        assert!(mapper.map_read(&index, &foreign, &qualities(150)).is_none());
        assert!(mapper.map_read(&index, b"ACGT", &qualities(4)).is_none());
        assert!(mapper.map_read(&index, b"", b"").is_none());
    }

    #[test]
    fn maps_to_the_right_contig_in_local_coordinates() {
        let mut rng = Rng::new(9);
        let (one, two, three) = (rng.bases(5_000), rng.bases(3_000), rng.bases(4_000));
        let index = index_of(&[("one", &one), ("two", &two), ("three", &three)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let alignment = mapper
            .map_read(&index, &two[1_000..1_150], &qualities(150))
            .unwrap();
        assert_eq!((alignment.contig, alignment.start), (1, 1_000));
        let alignment = mapper
            .map_read(
                &index,
                &reverse_complement(&three[3_850..4_000]),
                &qualities(150),
            )
            .unwrap();
        assert_eq!(
            (alignment.contig, alignment.start, alignment.end),
            (2, 3_850, 4_000)
        );
        // A read running off the end of a contig is clipped there, never
        // aligned into the next contig.
        let mut read = two[2_900..3_000].to_vec();
        read.extend_from_slice(&three[..50]);
        let alignment = mapper.map_read(&index, &read, &qualities(150)).unwrap();
        assert_eq!(alignment.contig, 1);
        assert_eq!((alignment.start, alignment.end), (2_900, 3_000));
        assert_eq!(alignment.clip_end, 50);
    }

    #[test]
    fn gives_repeats_a_low_mapping_quality() {
        let mut rng = Rng::new(10);
        let repeat = rng.bases(400);
        let mut reference = rng.bases(5_000);
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(5_000));
        reference.extend_from_slice(&repeat);
        reference.extend(rng.bases(5_000));
        let index = index_of(&[("chr1", &reference)]);
        let mut mapper = Mapper::new(MapperOptions::default());
        let alignment = mapper
            .map_read(&index, &repeat[100..250], &qualities(150))
            .unwrap();
        assert_eq!(alignment.mapq, 0);
        let unique = mapper
            .map_read(&index, &reference[1_000..1_150], &qualities(150))
            .unwrap();
        assert_eq!(unique.mapq, 60);
    }

    #[test]
    fn maps_a_batch_in_struct_of_arrays_form() {
        let (reference, index, mut mapper) = setup(11);
        let mut bases = reference[100..250].to_vec();
        bases.extend(Rng::new(77).bases(150));
        let mut snv = reference[600..750].to_vec();
        snv[10] = if snv[10] == b'G' { b'T' } else { b'G' };
        bases.extend_from_slice(&snv);
        let quals = qualities(bases.len());
        let offsets = [0, 150, 300, 450];
        let batch = ReadBatch::new(&bases, &quals, &offsets).unwrap();
        assert_eq!(batch.len(), 3);
        let mut out = BatchAlignments::default();
        mapper.map_batch(&index, &batch, &mut out);
        assert_eq!(out.reads.len(), 3);
        assert!(out.reads[0].mapped && !out.reads[1].mapped && out.reads[2].mapped);
        assert_eq!(out.events_of(2).len(), 1);
        assert_eq!(out.events_of(2)[0].position, 610);
        assert_eq!(
            out.summary(),
            BatchSummary {
                reads: 3,
                mapped: 2,
                reads_with_events: 1,
                mismatches: 1,
                insertions: 0,
                deletions: 0,
            }
        );
    }

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
