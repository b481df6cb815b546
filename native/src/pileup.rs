//! Pileup: per-position evidence accumulated over many batches of alignments.
//!
//! Flow: a worker maps a batch ([`crate::align::Mapper`]), turns the
//! alignments into compact [`Evidence`] (left-normalising indels on the way),
//! and a [`Pileup`] adds it. Evidence is plain arrays, so it can cross a
//! thread or process boundary as is ([`Evidence::to_bytes`]); pileups held by
//! several workers combine with [`Pileup::merge`].
//!
//! What a pileup keeps:
//! * per reference position, in arrays sized to the reference: depth (reads
//!   whose alignment spans it with at least [`SNV_MARGIN`] bases to spare on
//!   each side, deletions included) and indel depth (the same with
//!   [`INDEL_MARGIN`]: the reads that could show an indel there). Both are
//!   stored as changes from one position to the next, so adding a read
//!   touches two entries instead of every base it covers;
//!   [`Pileup::coverage`] sums them up;
//! * per observed alternate allele: read count and summed base quality, in
//!   hash maps (SNVs by position and base, indels by their left-normalised
//!   form).

use std::collections::HashMap;
use std::error::Error;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use crate::align::{prefetch, BatchAlignments, EventKind, ReferenceIndex};

/// A small, fast, non-cryptographic hasher (the "Fx" hash used by rustc) for
/// keys that no adversary chooses.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(value as u64);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(value as u64);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

/// `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Errors of merging and decoding pileups and evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PileupError {
    /// Two pileups (or a pileup and evidence) are over different references.
    ReferenceMismatch {
        /// What differs.
        message: String,
    },
    /// Bytes given to `from_bytes` are not what `to_bytes` wrote.
    Corrupt {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for PileupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PileupError::ReferenceMismatch { message } => {
                write!(f, "pileups over different references: {message}")
            }
            PileupError::Corrupt { message } => write!(f, "corrupt pileup data: {message}"),
        }
    }
}

impl Error for PileupError {}

/// A mismatch in a read's last bases is often no substitution but the start
/// of an indel the read ends in (too short a stretch to align as a gap), so
/// SNV support and depth count a read only at positions at least this far
/// inside its aligned span.
pub const SNV_MARGIN: u32 = 3;

/// An aligner cannot tell an indel within a few bases of a read's end from a
/// mismatch or a clipped end, so a read is evidence for or against an indel
/// only when the indel's anchor lies at least this far inside its aligned
/// span. Both the indel's support and its depth follow this rule, which
/// keeps allele frequencies unbiased (a homozygous indel reads as ~100 %).
pub const INDEL_MARGIN: u32 = 12;

/// Which alignments and bases count as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceOptions {
    /// Reads with a lower mapping quality are ignored entirely.
    pub min_mapping_quality: u8,
    /// Mismatching bases with a lower Phred quality are not counted as SNV
    /// support (the read still counts towards depth).
    pub min_base_quality: u8,
}

impl Default for EvidenceOptions {
    fn default() -> Self {
        EvidenceOptions {
            min_mapping_quality: 20,
            min_base_quality: 13,
        }
    }
}

/// An insertion or deletion, left-normalised, in the global coordinates of a
/// [`ReferenceIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndelAllele {
    /// Global coordinate of the first deleted base, or of the base the
    /// insertion precedes. The VCF anchor base is the one before it.
    pub position: u32,
    /// Number of deleted reference bases (0 for an insertion).
    pub deleted: u32,
    /// Inserted bases, upper-case ASCII (empty for a deletion).
    pub inserted: Vec<u8>,
}

/// A variant written as VCF writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VcfAllele {
    /// Contig index.
    pub contig: usize,
    /// 1-based position (`POS`).
    pub position: u32,
    /// `REF` bases.
    pub reference: Vec<u8>,
    /// `ALT` bases.
    pub alternate: Vec<u8>,
}

impl IndelAllele {
    /// The allele in VCF form: `REF` and `ALT` share the anchor base before
    /// the event, or the base after it when the event starts a contig.
    pub fn to_vcf(&self, index: &ReferenceIndex) -> VcfAllele {
        let (contig, start) = index.locate(self.position);
        let sequence = index.contig_sequence(contig);
        let start = start as usize;
        let deleted_end = (start + self.deleted as usize).min(sequence.len());
        let (position, reference, alternate) = if start > 0 {
            let anchor = sequence[start - 1];
            let mut alternate = vec![anchor];
            alternate.extend_from_slice(&self.inserted);
            (start, sequence[start - 1..deleted_end].to_vec(), alternate)
        } else {
            let after = deleted_end.min(sequence.len() - 1);
            let mut alternate = self.inserted.clone();
            alternate.push(sequence[after]);
            (1, sequence[..=after].to_vec(), alternate)
        };
        VcfAllele {
            contig,
            position: position as u32,
            reference,
            alternate,
        }
    }

    /// Global coordinate of the VCF `POS` base (the anchor).
    pub fn anchor(&self, index: &ReferenceIndex) -> u32 {
        let (_, start) = index.locate(self.position);
        if start > 0 {
            self.position - 1
        } else {
            self.position
        }
    }
}

/// Shifts a deletion of `sequence[position..position + length]` as far left
/// as the sequence allows (through homopolymers and tandem repeats).
pub fn left_shift_deletion(sequence: &[u8], mut position: usize, length: usize) -> usize {
    while position > 0 && sequence[position - 1] == sequence[position + length - 1] {
        position -= 1;
    }
    position
}

/// Shifts an insertion of `inserted` before `sequence[position]` as far left
/// as the sequence allows, rotating `inserted` to match; returns the new
/// position.
pub fn left_shift_insertion(sequence: &[u8], mut position: usize, inserted: &mut [u8]) -> usize {
    let Some(&_) = inserted.last() else {
        return position;
    };
    while position > 0 && sequence[position - 1] == inserted[inserted.len() - 1] {
        inserted.rotate_right(1);
        position -= 1;
    }
    position
}

/// Left-normalises a VCF allele the way `bcftools norm` does: trims bases
/// shared at the right end (re-anchoring on the preceding reference base when
/// an allele runs empty), then bases shared at the left end while both
/// alleles keep at least one. `position` is 0-based on `sequence` (the
/// contig); `reference` must match `sequence` there. Returns the 0-based
/// position and the trimmed alleles.
pub fn normalise(
    sequence: &[u8],
    position: usize,
    reference: &[u8],
    alternate: &[u8],
) -> (usize, Vec<u8>, Vec<u8>) {
    let (mut position, mut reference, mut alternate) =
        (position, reference.to_vec(), alternate.to_vec());
    if reference == alternate {
        return (position, reference, alternate);
    }
    loop {
        let mut changed = false;
        if !reference.is_empty() && !alternate.is_empty() && reference.last() == alternate.last() {
            reference.pop();
            alternate.pop();
            changed = true;
        }
        if (reference.is_empty() || alternate.is_empty()) && position > 0 {
            position -= 1;
            reference.insert(0, sequence[position]);
            alternate.insert(0, sequence[position]);
            changed = true;
        }
        if !changed {
            break;
        }
    }
    if reference.is_empty() || alternate.is_empty() {
        // At the contig start: anchor on the base after instead.
        let after = sequence[position + reference.len()];
        reference.push(after);
        alternate.push(after);
    }
    while reference.len() > 1 && alternate.len() > 1 && reference[0] == alternate[0] {
        reference.remove(0);
        alternate.remove(0);
        position += 1;
    }
    (position, reference, alternate)
}

/// Read count and summed Phred base quality supporting one allele.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlleleSupport {
    /// Reads showing the allele.
    pub count: u32,
    /// Sum of their base qualities.
    pub quality_sum: u64,
}

impl AlleleSupport {
    fn add(&mut self, count: u32, quality_sum: u64) {
        self.count += count;
        self.quality_sum += quality_sum;
    }
}

/// Evidence from one or more batches in struct-of-arrays form: everything a
/// [`Pileup`] needs, nothing it does not, in global reference coordinates.
/// Built where reads are mapped, added where the pileup lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Reads seen (mapped or not).
    pub reads: u64,
    /// Reference span of each read that counts: start (global, inclusive).
    pub span_starts: Vec<u32>,
    /// End of each span (global, exclusive).
    pub span_ends: Vec<u32>,
    /// SNV observations: global position.
    pub snv_positions: Vec<u32>,
    /// SNV observations: read base (`A`, `C`, `G` or `T`).
    pub snv_bases: Vec<u8>,
    /// SNV observations: Phred base quality.
    pub snv_qualities: Vec<u8>,
    /// Indel observations: [`IndelAllele::position`] (left-normalised).
    pub indel_positions: Vec<u32>,
    /// Indel observations: inserted length if positive, minus the deleted
    /// length if negative. Inserted bases follow one another in
    /// [`Evidence::indel_inserted`].
    pub indel_lengths: Vec<i32>,
    /// Indel observations: Phred quality.
    pub indel_qualities: Vec<u8>,
    /// Bases of all insertions, in observation order.
    pub indel_inserted: Vec<u8>,
}

const EVIDENCE_MAGIC: &[u8; 8] = b"HXEVID01";
const PILEUP_MAGIC: &[u8; 8] = b"HXPILE01";

impl Evidence {
    /// Empty evidence.
    pub fn new() -> Self {
        Evidence::default()
    }

    /// Empties the arrays, keeping their capacity.
    pub fn clear(&mut self) {
        self.reads = 0;
        self.span_starts.clear();
        self.span_ends.clear();
        self.snv_positions.clear();
        self.snv_bases.clear();
        self.snv_qualities.clear();
        self.indel_positions.clear();
        self.indel_lengths.clear();
        self.indel_qualities.clear();
        self.indel_inserted.clear();
    }

    /// Appends the evidence of a batch's alignments (made against `index`),
    /// left-normalising indels.
    pub fn add_alignments(
        &mut self,
        index: &ReferenceIndex,
        alignments: &BatchAlignments,
        options: &EvidenceOptions,
    ) {
        self.reads += alignments.reads.len() as u64;
        let mut inserted = Vec::new();
        for (i, read) in alignments.reads.iter().enumerate() {
            let contig = read.contig as usize;
            if !read.mapped
                || read.mapq < options.min_mapping_quality
                || contig >= index.contig_count()
            {
                continue;
            }
            let offset = index.contig_offset(contig);
            let sequence = index.contig_sequence(contig);
            self.span_starts.push(offset + read.start);
            self.span_ends.push(offset + read.end);
            // Whether an indel at (normalised) `position` has its anchor far
            // enough inside this read; see [`INDEL_MARGIN`].
            let inside = |position: usize| {
                let anchor = position.saturating_sub(1) as u32;
                anchor >= read.start + INDEL_MARGIN && anchor + INDEL_MARGIN < read.end
            };
            for event in alignments.events_of(i) {
                // Alignments made against another reference would index out
                // of this one; a caller's bug, but not worth a crash.
                let extent = match event.kind {
                    EventKind::Insertion => 0,
                    _ => event.length as usize,
                };
                if event.position as usize + extent > sequence.len() {
                    continue;
                }
                match event.kind {
                    EventKind::Mismatch => {
                        let inside = event.position >= read.start + SNV_MARGIN
                            && event.position + SNV_MARGIN < read.end;
                        if inside && event.quality >= options.min_base_quality {
                            self.snv_positions.push(offset + event.position);
                            self.snv_bases.push(event.base);
                            self.snv_qualities.push(event.quality);
                        }
                    }
                    EventKind::Deletion => {
                        let position = left_shift_deletion(
                            sequence,
                            event.position as usize,
                            event.length as usize,
                        );
                        if !inside(position) {
                            continue;
                        }
                        self.indel_positions.push(offset + position as u32);
                        self.indel_lengths.push(-(event.length as i32));
                        self.indel_qualities.push(event.quality);
                    }
                    EventKind::Insertion => {
                        inserted.clear();
                        inserted.extend_from_slice(alignments.inserted(event));
                        let position =
                            left_shift_insertion(sequence, event.position as usize, &mut inserted);
                        if !inside(position) {
                            continue;
                        }
                        self.indel_positions.push(offset + position as u32);
                        self.indel_lengths.push(event.length as i32);
                        self.indel_qualities.push(event.quality);
                        self.indel_inserted.extend_from_slice(&inserted);
                    }
                }
            }
        }
    }

    /// Serialises to bytes (little-endian arrays behind a header), for
    /// sending to another thread or process.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            64 + self.span_starts.len() * 9
                + self.snv_positions.len() * 6
                + self.indel_positions.len() * 9
                + self.indel_inserted.len(),
        );
        out.extend_from_slice(EVIDENCE_MAGIC);
        put_u64(&mut out, self.reads);
        put_u32s(&mut out, &self.span_starts);
        put_u32s(&mut out, &self.span_ends);
        put_u32s(&mut out, &self.snv_positions);
        put_bytes(&mut out, &self.snv_bases);
        put_bytes(&mut out, &self.snv_qualities);
        put_u32s(&mut out, &self.indel_positions);
        let lengths: Vec<u32> = self.indel_lengths.iter().map(|&l| l as u32).collect();
        put_u32s(&mut out, &lengths);
        put_bytes(&mut out, &self.indel_qualities);
        put_bytes(&mut out, &self.indel_inserted);
        out
    }

    /// Decodes what [`Evidence::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PileupError> {
        let mut reader = ByteReader::new(bytes, EVIDENCE_MAGIC)?;
        let evidence = Evidence {
            reads: reader.u64()?,
            span_starts: reader.u32s()?,
            span_ends: reader.u32s()?,
            snv_positions: reader.u32s()?,
            snv_bases: reader.bytes()?,
            snv_qualities: reader.bytes()?,
            indel_positions: reader.u32s()?,
            indel_lengths: reader.u32s()?.into_iter().map(|l| l as i32).collect(),
            indel_qualities: reader.bytes()?,
            indel_inserted: reader.bytes()?,
        };
        reader.finish()?;
        evidence.validate()?;
        Ok(evidence)
    }

    /// Checks that the parallel arrays agree in length.
    fn validate(&self) -> Result<(), PileupError> {
        let spans = self.span_starts.len();
        let snvs = self.snv_positions.len();
        let indels = self.indel_positions.len();
        let inserted: usize = self
            .indel_lengths
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| l as usize)
            .sum();
        let consistent = self.span_ends.len() == spans
            && self.snv_bases.len() == snvs
            && self.snv_qualities.len() == snvs
            && self.indel_lengths.len() == indels
            && self.indel_qualities.len() == indels
            && self.indel_inserted.len() == inserted;
        if consistent {
            Ok(())
        } else {
            Err(PileupError::Corrupt {
                message: "evidence arrays of different lengths".into(),
            })
        }
    }
}

/// Per-position and per-allele evidence over a whole reference.
#[derive(Debug, Clone)]
pub struct Pileup {
    contig_lengths: Vec<u32>,
    reads: u64,
    used_reads: u64,
    /// `depth[p] = depth_changes[0] + … + depth_changes[p]` (wrapping).
    depth_changes: Vec<u32>,
    /// The same for the indel depth; see [`INDEL_MARGIN`].
    indel_depth_changes: Vec<u32>,
    /// Key: `global position << 2 | base code`.
    snvs: FxHashMap<u64, AlleleSupport>,
    indels: FxHashMap<IndelAllele, AlleleSupport>,
}

/// Adds one read over `start..end` to a change array.
#[inline]
fn add_interval(changes: &mut [u32], start: u32, end: u32) {
    changes[start as usize] = changes[start as usize].wrapping_add(1);
    changes[end as usize] = changes[end as usize].wrapping_sub(1);
}

/// Depths of every position of a [`Pileup`] at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    depth: Vec<u32>,
    indel_depth: Vec<u32>,
}

impl Coverage {
    /// Reads spanning global `position`, [`SNV_MARGIN`] bases from their
    /// ends or more (0 outside the reference).
    pub fn depth(&self, position: u32) -> u32 {
        self.depth.get(position as usize).copied().unwrap_or(0)
    }

    /// Reads that could show an indel anchored at global `position` (see
    /// [`INDEL_MARGIN`]).
    pub fn indel_depth(&self, position: u32) -> u32 {
        self.indel_depth
            .get(position as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Depth of every global position.
    pub fn depths(&self) -> &[u32] {
        &self.depth
    }

    /// Indel depth of every global position.
    pub fn indel_depths(&self) -> &[u32] {
        &self.indel_depth
    }
}

/// An SNV allele: a global position and the alternate base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnvAllele {
    /// Global coordinate.
    pub position: u32,
    /// Alternate base (`A`, `C`, `G` or `T`).
    pub base: u8,
}

const BASES: [u8; 4] = *b"ACGT";

fn base_code(base: u8) -> Option<u64> {
    BASES.iter().position(|&b| b == base).map(|c| c as u64)
}

impl Pileup {
    /// An empty pileup over `index`'s reference.
    pub fn new(index: &ReferenceIndex) -> Self {
        let total = index.total_length() as usize;
        Pileup {
            contig_lengths: (0..index.contig_count())
                .map(|c| index.contig_length(c))
                .collect(),
            reads: 0,
            used_reads: 0,
            depth_changes: vec![0; total + 1],
            indel_depth_changes: vec![0; total + 1],
            snvs: FxHashMap::default(),
            indels: FxHashMap::default(),
        }
    }

    /// Adds a batch's evidence. Spans or alleles outside the reference are
    /// ignored (evidence made against another reference is a caller's bug,
    /// but must not corrupt memory).
    pub fn add(&mut self, evidence: &Evidence) {
        let total = self.total_length();
        self.reads += evidence.reads;
        let spans = evidence.span_starts.len().min(evidence.span_ends.len());
        for i in 0..spans {
            // The change arrays are random accesses: fetch a few reads ahead.
            if let (Some(&start), Some(&end)) = (
                evidence.span_starts.get(i + 8),
                evidence.span_ends.get(i + 8),
            ) {
                for position in [start, end] {
                    if let Some(change) = self.depth_changes.get(position as usize) {
                        prefetch(change);
                    }
                    if let Some(change) = self.indel_depth_changes.get(position as usize) {
                        prefetch(change);
                    }
                }
            }
            let start = evidence.span_starts[i].min(total);
            let end = evidence.span_ends[i].min(total);
            if start >= end {
                continue;
            }
            self.used_reads += 1;
            let (inner_start, inner_end) = (start + SNV_MARGIN, end.saturating_sub(SNV_MARGIN));
            if inner_start < inner_end {
                add_interval(&mut self.depth_changes, inner_start, inner_end);
            }
            let (inner_start, inner_end) = (start + INDEL_MARGIN, end.saturating_sub(INDEL_MARGIN));
            if inner_start < inner_end {
                add_interval(&mut self.indel_depth_changes, inner_start, inner_end);
            }
        }
        for ((&position, &base), &quality) in evidence
            .snv_positions
            .iter()
            .zip(&evidence.snv_bases)
            .zip(&evidence.snv_qualities)
        {
            if let (true, Some(code)) = (position < total, base_code(base)) {
                self.snvs
                    .entry((position as u64) << 2 | code)
                    .or_default()
                    .add(1, quality as u64);
            }
        }
        let mut inserted_at = 0usize;
        for ((&position, &length), &quality) in evidence
            .indel_positions
            .iter()
            .zip(&evidence.indel_lengths)
            .zip(&evidence.indel_qualities)
        {
            let allele = if length > 0 {
                let end = (inserted_at + length as usize).min(evidence.indel_inserted.len());
                let inserted = evidence.indel_inserted[inserted_at..end].to_vec();
                inserted_at = end;
                IndelAllele {
                    position,
                    deleted: 0,
                    inserted,
                }
            } else {
                IndelAllele {
                    position,
                    deleted: length.unsigned_abs(),
                    inserted: Vec::new(),
                }
            };
            if position < total {
                self.indels
                    .entry(allele)
                    .or_default()
                    .add(1, quality as u64);
            }
        }
    }

    /// Adds everything `other` holds. Both must be over the same reference.
    pub fn merge(&mut self, other: &Pileup) -> Result<(), PileupError> {
        if self.contig_lengths != other.contig_lengths {
            return Err(PileupError::ReferenceMismatch {
                message: format!(
                    "contig lengths {:?} and {:?}",
                    self.contig_lengths, other.contig_lengths
                ),
            });
        }
        self.reads += other.reads;
        self.used_reads += other.used_reads;
        for (mine, theirs) in self.depth_changes.iter_mut().zip(&other.depth_changes) {
            *mine = mine.wrapping_add(*theirs);
        }
        for (mine, theirs) in self
            .indel_depth_changes
            .iter_mut()
            .zip(&other.indel_depth_changes)
        {
            *mine = mine.wrapping_add(*theirs);
        }
        for (key, support) in &other.snvs {
            self.snvs
                .entry(*key)
                .or_default()
                .add(support.count, support.quality_sum);
        }
        for (allele, support) in &other.indels {
            self.indels
                .entry(allele.clone())
                .or_default()
                .add(support.count, support.quality_sum);
        }
        Ok(())
    }

    /// Empties the pileup, keeping its reference layout.
    pub fn clear(&mut self) {
        self.reads = 0;
        self.used_reads = 0;
        self.depth_changes.fill(0);
        self.indel_depth_changes.fill(0);
        self.snvs.clear();
        self.indels.clear();
    }

    /// Reads seen, mapped or not.
    pub fn reads(&self) -> u64 {
        self.reads
    }

    /// Reads whose alignments count towards depth.
    pub fn used_reads(&self) -> u64 {
        self.used_reads
    }

    /// Sum of contig lengths.
    pub fn total_length(&self) -> u32 {
        (self.depth_changes.len() - 1) as u32
    }

    /// Depth and indel depth of every position, summed up from the stored
    /// changes (one pass over the reference: compute once per calling round).
    pub fn coverage(&self) -> Coverage {
        let running_sum = |changes: &[u32]| {
            let mut depth = 0u32;
            changes[..changes.len() - 1]
                .iter()
                .map(|&change| {
                    depth = depth.wrapping_add(change);
                    depth
                })
                .collect()
        };
        Coverage {
            depth: running_sum(&self.depth_changes),
            indel_depth: running_sum(&self.indel_depth_changes),
        }
    }

    /// Support for alternate base `base` at global `position`.
    pub fn snv_support(&self, position: u32, base: u8) -> AlleleSupport {
        base_code(base)
            .and_then(|code| self.snvs.get(&((position as u64) << 2 | code)))
            .copied()
            .unwrap_or_default()
    }

    /// Support for an indel allele.
    pub fn indel_support(&self, allele: &IndelAllele) -> AlleleSupport {
        self.indels.get(allele).copied().unwrap_or_default()
    }

    /// Every observed SNV allele with its support, in no particular order.
    pub fn snv_alleles(&self) -> impl Iterator<Item = (SnvAllele, AlleleSupport)> + '_ {
        self.snvs.iter().map(|(&key, &support)| {
            let allele = SnvAllele {
                position: (key >> 2) as u32,
                base: BASES[(key & 3) as usize],
            };
            (allele, support)
        })
    }

    /// Every observed indel allele with its support, in no particular order.
    pub fn indel_alleles(&self) -> impl Iterator<Item = (&IndelAllele, AlleleSupport)> + '_ {
        self.indels
            .iter()
            .map(|(allele, &support)| (allele, support))
    }

    /// Number of distinct alternate alleles held (SNVs, indels).
    pub fn allele_counts(&self) -> (usize, usize) {
        (self.snvs.len(), self.indels.len())
    }

    /// Serialises to bytes (little-endian arrays behind a header).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.depth_changes.len() * 8 + self.snvs.len() * 24);
        out.extend_from_slice(PILEUP_MAGIC);
        put_u32s(&mut out, &self.contig_lengths);
        put_u64(&mut out, self.reads);
        put_u64(&mut out, self.used_reads);
        put_u32s(&mut out, &self.depth_changes);
        put_u32s(&mut out, &self.indel_depth_changes);
        put_u64(&mut out, self.snvs.len() as u64);
        for (&key, support) in &self.snvs {
            put_u64(&mut out, key);
            put_u64(&mut out, support.count as u64);
            put_u64(&mut out, support.quality_sum);
        }
        put_u64(&mut out, self.indels.len() as u64);
        for (allele, support) in &self.indels {
            put_u64(&mut out, allele.position as u64);
            put_u64(&mut out, allele.deleted as u64);
            put_bytes(&mut out, &allele.inserted);
            put_u64(&mut out, support.count as u64);
            put_u64(&mut out, support.quality_sum);
        }
        out
    }

    /// Decodes what [`Pileup::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PileupError> {
        let mut reader = ByteReader::new(bytes, PILEUP_MAGIC)?;
        let contig_lengths = reader.u32s()?;
        let reads = reader.u64()?;
        let used_reads = reader.u64()?;
        let depth_changes = reader.u32s()?;
        let indel_depth_changes = reader.u32s()?;
        let total: u64 = contig_lengths.iter().map(|&l| l as u64).sum();
        if depth_changes.len() as u64 != total + 1 || indel_depth_changes.len() as u64 != total + 1
        {
            return Err(PileupError::Corrupt {
                message: "depth arrays do not match the contig lengths".into(),
            });
        }
        let mut snvs = FxHashMap::default();
        for _ in 0..reader.u64()? {
            let key = reader.u64()?;
            let count = reader.u64()? as u32;
            let quality_sum = reader.u64()?;
            snvs.insert(key, AlleleSupport { count, quality_sum });
        }
        let mut indels = FxHashMap::default();
        for _ in 0..reader.u64()? {
            let position = reader.u64()? as u32;
            let deleted = reader.u64()? as u32;
            let inserted = reader.bytes()?;
            let count = reader.u64()? as u32;
            let quality_sum = reader.u64()?;
            indels.insert(
                IndelAllele {
                    position,
                    deleted,
                    inserted,
                },
                AlleleSupport { count, quality_sum },
            );
        }
        reader.finish()?;
        Ok(Pileup {
            contig_lengths,
            reads,
            used_reads,
            depth_changes,
            indel_depth_changes,
            snvs,
            indels,
        })
    }
}

fn put_u64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32s(out: &mut Vec<u8>, values: &[u32]) {
    put_u64(out, values.len() as u64);
    out.reserve(values.len() * 4);
    for value in values {
        out.extend_from_slice(&value.to_le_bytes());
    }
}

fn put_bytes(out: &mut Vec<u8>, values: &[u8]) {
    put_u64(out, values.len() as u64);
    out.extend_from_slice(values);
}

/// Reads what the `put_*` functions wrote, failing cleanly on short input.
struct ByteReader<'a> {
    bytes: &'a [u8],
}

impl<'a> ByteReader<'a> {
    fn new(bytes: &'a [u8], magic: &[u8; 8]) -> Result<Self, PileupError> {
        match bytes.strip_prefix(magic.as_slice()) {
            Some(rest) => Ok(ByteReader { bytes: rest }),
            None => Err(PileupError::Corrupt {
                message: format!("missing header {}", String::from_utf8_lossy(magic)),
            }),
        }
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], PileupError> {
        if self.bytes.len() < length {
            return Err(PileupError::Corrupt {
                message: "truncated".into(),
            });
        }
        let (head, rest) = self.bytes.split_at(length);
        self.bytes = rest;
        Ok(head)
    }

    fn u64(&mut self) -> Result<u64, PileupError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }

    fn length(&mut self, element_size: usize) -> Result<usize, PileupError> {
        let length = self.u64()?;
        if length.saturating_mul(element_size as u64) > self.bytes.len() as u64 {
            return Err(PileupError::Corrupt {
                message: "array longer than the data".into(),
            });
        }
        Ok(length as usize)
    }

    fn u32s(&mut self) -> Result<Vec<u32>, PileupError> {
        let length = self.length(4)?;
        let raw = self.take(length * 4)?;
        Ok(raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect())
    }

    fn bytes(&mut self) -> Result<Vec<u8>, PileupError> {
        let length = self.length(1)?;
        Ok(self.take(length)?.to_vec())
    }

    fn finish(self) -> Result<(), PileupError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(PileupError::Corrupt {
                message: format!("{} unexpected trailing bytes", self.bytes.len()),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::{AlignmentEvent, IndexOptions, ReadPlacement, Strand};
    use crate::caller::simulation::Rng;

    #[test]
    fn shifts_deletions_left_through_repeats() {
        //              0123456789
        let sequence = b"GCAAAAATCACACAG";
        // Deleting any one A of the run is the same deletion: the first A.
        assert_eq!(left_shift_deletion(sequence, 6, 1), 2);
        assert_eq!(left_shift_deletion(sequence, 2, 1), 2);
        // "AC" deleted from the CACACA repeat becomes "CA" at its start.
        assert_eq!(left_shift_deletion(sequence, 11, 2), 8);
        // Nothing to shift.
        assert_eq!(left_shift_deletion(sequence, 1, 1), 1);
        // Stops at the contig start.
        assert_eq!(left_shift_deletion(b"AAAC", 2, 1), 0);
    }

    #[test]
    fn shifts_insertions_left_rotating_their_bases() {
        let sequence = b"GCAAAAATCACACAG";
        let mut inserted = b"A".to_vec();
        assert_eq!(left_shift_insertion(sequence, 7, &mut inserted), 2);
        assert_eq!(inserted, b"A");
        // "CA" inserted at the end of the CACACA repeat moves to its start;
        // "AC" inserted inside it becomes "CA" there too.
        let mut inserted = b"CA".to_vec();
        assert_eq!(left_shift_insertion(sequence, 14, &mut inserted), 8);
        assert_eq!(inserted, b"CA");
        let mut inserted = b"AC".to_vec();
        assert_eq!(left_shift_insertion(sequence, 11, &mut inserted), 8);
        assert_eq!(inserted, b"CA");
        let mut inserted = b"GT".to_vec();
        assert_eq!(left_shift_insertion(sequence, 5, &mut inserted), 5);
        assert_eq!(inserted, b"GT");
    }

    #[test]
    fn normalises_vcf_alleles_like_bcftools_norm() {
        let sequence = b"GCAAAAATCACACAG";
        // A right-aligned deletion of one A: POS 6 (0-based 5) AA>A.
        assert_eq!(
            normalise(sequence, 5, b"AA", b"A"),
            (1, b"CA".to_vec(), b"C".to_vec())
        );
        // An insertion written with extra shared bases.
        assert_eq!(
            normalise(sequence, 11, b"ACAG", b"ACACAG"),
            (7, b"T".to_vec(), b"TCA".to_vec())
        );
        // SNVs and MNP-like padding.
        assert_eq!(
            normalise(sequence, 3, b"A", b"G"),
            (3, b"A".to_vec(), b"G".to_vec())
        );
        assert_eq!(
            normalise(sequence, 7, b"TC", b"GC"),
            (7, b"T".to_vec(), b"G".to_vec())
        );
        // A deletion at the contig start anchors on the base after.
        assert_eq!(
            normalise(b"AAAC", 1, b"AA", b"A"),
            (0, b"AA".to_vec(), b"A".to_vec())
        );
        assert_eq!(
            normalise(b"ACGT", 0, b"AC", b"C"),
            (0, b"AC".to_vec(), b"C".to_vec())
        );
    }

    fn index_of(contigs: &[(&str, &[u8])]) -> ReferenceIndex {
        ReferenceIndex::new(contigs.iter().copied(), &IndexOptions::default()).unwrap()
    }

    #[test]
    fn writes_indels_in_vcf_form() {
        let index = index_of(&[("a", b"GGGGG"), ("b", b"ACGTACGT")]);
        let deletion = IndelAllele {
            position: 5 + 2,
            deleted: 2,
            inserted: Vec::new(),
        };
        let vcf = deletion.to_vcf(&index);
        assert_eq!((vcf.contig, vcf.position), (1, 2));
        assert_eq!(
            (vcf.reference.as_slice(), vcf.alternate.as_slice()),
            (b"CGT".as_slice(), b"C".as_slice())
        );
        assert_eq!(deletion.anchor(&index), 6);
        let insertion = IndelAllele {
            position: 5,
            deleted: 0,
            inserted: b"TT".to_vec(),
        };
        let vcf = insertion.to_vcf(&index);
        assert_eq!((vcf.contig, vcf.position), (1, 1));
        assert_eq!(
            (vcf.reference.as_slice(), vcf.alternate.as_slice()),
            (b"A".as_slice(), b"TTA".as_slice())
        );
        assert_eq!(insertion.anchor(&index), 5);
    }

    /// Alignments of reads that show the same deletion at different places of
    /// a homopolymer, plus an SNV and an insertion.
    fn alignments() -> (ReferenceIndex, BatchAlignments) {
        let mut rng = Rng::new(21);
        let mut sequence = rng.bases(100);
        sequence[40..46].copy_from_slice(b"CTTTTG");
        let other = rng.bases(50);
        let index = index_of(&[("x", &other), ("chr1", &sequence)]);
        let read = |start, end, events: std::ops::Range<u32>| ReadPlacement {
            mapped: true,
            contig: 1,
            start,
            end,
            strand: Strand::Forward,
            mapq: 60,
            score: 100,
            clip_start: 0,
            clip_end: 0,
            events_start: events.start,
            events_end: events.end,
        };
        let event = |kind, position, length, base, inserted_start| AlignmentEvent {
            kind,
            position,
            length,
            base,
            quality: 30,
            inserted_start,
        };
        let alternate = if sequence[20] == b'A' { b'C' } else { b'A' };
        let alignments = BatchAlignments {
            reads: vec![
                read(0, 90, 0..2),
                read(5, 95, 2..3),
                read(10, 99, 3..4),
                ReadPlacement {
                    mapq: 3,
                    ..read(10, 99, 4..5)
                },
                // Ends too close to its deletion and its mismatch for them
                // to count.
                read(30, 50, 5..7),
            ],
            events: vec![
                event(EventKind::Deletion, 44, 1, 0, 0),
                event(EventKind::Mismatch, 20, 1, alternate, 0),
                event(EventKind::Deletion, 42, 1, 0, 0),
                event(EventKind::Insertion, 44, 2, 0, 0),
                event(EventKind::Mismatch, 20, 1, alternate, 0),
                event(EventKind::Deletion, 44, 1, 0, 0),
                event(EventKind::Mismatch, 48, 1, b'A', 0),
            ],
            inserted_bases: b"TT".to_vec(),
        };
        (index, alignments)
    }

    #[test]
    fn turns_alignments_into_normalised_evidence() {
        let (index, alignments) = alignments();
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        assert_eq!(evidence.reads, 5);
        // The low-mapping-quality read is left out.
        assert_eq!(evidence.span_starts, vec![50, 55, 60, 80]);
        assert_eq!(evidence.snv_positions, vec![70]);
        // Both deletions of a T become the first T; the TT insertion
        // before position 44 moves to before the first T too.
        assert_eq!(evidence.indel_positions, vec![91, 91, 91]);
        assert_eq!(evidence.indel_lengths, vec![-1, -1, 2]);
        assert_eq!(evidence.indel_inserted, b"TT");

        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let coverage = pileup.coverage();
        // The first read spans global 50..140; it counts from SNV_MARGIN in.
        assert_eq!(coverage.depth(52), 0);
        assert_eq!(coverage.depth(53), 1);
        assert_eq!(coverage.depth(91), 4);
        assert_eq!(coverage.depth(149), 0);
        assert_eq!(coverage.depth(150), 0);
        // Only reads with room around the anchor (global 90) count for indels.
        assert_eq!(coverage.indel_depth(90), 3);
        assert_eq!(coverage.indel_depth(55), 0);
        let deletion = IndelAllele {
            position: 91,
            deleted: 1,
            inserted: Vec::new(),
        };
        assert_eq!(
            pileup.indel_support(&deletion),
            AlleleSupport {
                count: 2,
                quality_sum: 60
            }
        );
        assert_eq!(pileup.allele_counts(), (1, 2));
        let (snv, support) = pileup.snv_alleles().next().unwrap();
        assert_eq!((snv.position, support.count), (70, 1));
        assert_eq!(pileup.reads(), 5);
        assert_eq!(pileup.used_reads(), 4);
    }

    #[test]
    fn merging_pileups_equals_adding_all_evidence_to_one() {
        let (index, alignments) = alignments();
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let mut together = Pileup::new(&index);
        together.add(&evidence);
        together.add(&evidence);
        let mut first = Pileup::new(&index);
        first.add(&evidence);
        let mut second = Pileup::new(&index);
        second.add(&evidence);
        first.merge(&second).unwrap();
        assert_eq!(first.coverage(), together.coverage());
        assert_eq!(first.coverage().depth(91), 8);
        assert_eq!(first.reads(), together.reads());
        let sorted = |p: &Pileup| {
            let mut snvs: Vec<_> = p.snv_alleles().collect();
            snvs.sort_by_key(|(a, _)| *a);
            let mut indels: Vec<_> = p.indel_alleles().map(|(a, s)| (a.clone(), s)).collect();
            indels.sort_by(|a, b| a.0.cmp(&b.0));
            (snvs, indels)
        };
        assert_eq!(sorted(&first), sorted(&together));

        let other = index_of(&[("y", b"ACGTACGTACGT")]);
        assert!(matches!(
            first.merge(&Pileup::new(&other)),
            Err(PileupError::ReferenceMismatch { .. })
        ));
    }

    #[test]
    fn evidence_and_pileups_survive_a_round_trip_through_bytes() {
        let (index, alignments) = alignments();
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let bytes = evidence.to_bytes();
        assert_eq!(Evidence::from_bytes(&bytes).unwrap(), evidence);
        assert!(Evidence::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Evidence::from_bytes(b"nonsense").is_err());

        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let decoded = Pileup::from_bytes(&pileup.to_bytes()).unwrap();
        assert_eq!(decoded.coverage(), pileup.coverage());
        assert_eq!(decoded.allele_counts(), pileup.allele_counts());
        let deletion = IndelAllele {
            position: 91,
            deleted: 1,
            inserted: Vec::new(),
        };
        assert_eq!(decoded.indel_support(&deletion).count, 2);
        let mut bad = pileup.to_bytes();
        bad.push(0);
        assert!(matches!(
            Pileup::from_bytes(&bad),
            Err(PileupError::Corrupt { .. })
        ));

        evidence.clear();
        assert_eq!(evidence, Evidence::new());
    }
}
