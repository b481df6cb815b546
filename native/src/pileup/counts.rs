//! The pileup itself: chunks of depth events and alleles, allocated when a
//! read first touches them; adding evidence, merging pileups.

use super::chunk::{
    Chunk, CHUNK_BITS, CHUNK_SIZE, COIN_TOSS as COIN_TOSS_EVENT, END, INDEL, REVERSE,
};
use super::{
    indel_margin, Evidence, IndelAllele, PileupError, COIN_TOSS, CONTINUES_AFTER, CONTINUES_BEFORE,
    REVERSE_STRAND, SNV_MARGIN,
};
use crate::align::{prefetch, ReferenceIndex};
use std::sync::atomic::{AtomicU64, Ordering};

/// Per-position and per-allele evidence over a whole reference, in chunks of
/// [`CHUNK_SIZE`] bases (see [`super::chunk`]).
#[derive(Debug)]
pub struct Pileup {
    pub(super) contig_lengths: Vec<u32>,
    /// Global coordinate of each contig's first base.
    pub(super) contig_starts: Vec<u32>,
    pub(super) total: u32,
    pub(super) reads: u64,
    pub(super) used_reads: u64,
    /// One slot per chunk of the reference, empty until a read touches it.
    pub(super) chunks: Vec<Option<Box<Chunk>>>,
    /// Bumped by every change, so that a reader can tell which chunks
    /// changed since it last looked ([`Pileup::changed_since`]).
    pub(super) generation: u64,
    /// Tells this pileup from every other one (a copy or a cleared pileup
    /// is another one), for readers that remember a generation.
    pub(super) identity: u64,
}

/// The next [`Pileup::identity`].
fn new_identity() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Clone for Pileup {
    fn clone(&self) -> Self {
        Pileup {
            contig_lengths: self.contig_lengths.clone(),
            contig_starts: self.contig_starts.clone(),
            total: self.total,
            reads: self.reads,
            used_reads: self.used_reads,
            chunks: self.chunks.clone(),
            generation: self.generation,
            identity: new_identity(),
        }
    }
}

/// What a pileup holds in memory ([`Pileup::memory`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PileupMemory {
    /// Every byte, chunks, alleles and bookkeeping.
    pub total: usize,
    /// Chunks allocated (touched by a read).
    pub chunks: usize,
    /// Bytes of depth events and dense change arrays.
    pub depth_bytes: usize,
    /// SNV alleles one read showed, and the bytes they take.
    pub snvs_seen_once: usize,
    pub snv_once_bytes: usize,
    /// SNV alleles more reads showed, and the bytes they take.
    pub snvs_seen_more: usize,
    pub snv_more_bytes: usize,
    /// Indel alleles.
    pub indels: usize,
}

/// Entry `i` of an evidence flags array, 0 (forward, mid-read) when the
/// array is empty (see [`Evidence::span_flags`]).
fn flag(flags: &[u8], i: usize) -> u8 {
    flags.get(i).copied().unwrap_or(0)
}

/// Alternate bases by their 2-bit code in SNV keys.
pub(super) const BASES: [u8; 4] = *b"ACGT";

/// 2-bit code of an alternate base, `None` for anything but `ACGT`.
pub(super) fn base_code(base: u8) -> Option<u16> {
    BASES.iter().position(|&b| b == base).map(|c| c as u16)
}

/// Chunk of global `position`.
#[inline]
pub(super) fn chunk_of(position: u32) -> usize {
    (position >> CHUNK_BITS) as usize
}

/// An SNV's key in its chunk: offset << 2 | base code.
#[inline]
pub(super) fn snv_key(position: u32, code: u16) -> u16 {
    ((position & (CHUNK_SIZE - 1)) as u16) << 2 | code
}

impl Pileup {
    /// An empty pileup over `index`'s reference.
    pub fn new(index: &ReferenceIndex) -> Self {
        Self::with_contigs(
            (0..index.contig_count())
                .map(|c| index.contig_length(c))
                .collect(),
        )
    }

    /// An empty pileup over contigs of these lengths.
    pub(super) fn with_contigs(contig_lengths: Vec<u32>) -> Self {
        let mut contig_starts = Vec::with_capacity(contig_lengths.len());
        let mut total = 0u32;
        for &length in &contig_lengths {
            contig_starts.push(total);
            total += length;
        }
        Pileup {
            contig_lengths,
            contig_starts,
            total,
            reads: 0,
            used_reads: 0,
            chunks: vec![None; total.div_ceil(CHUNK_SIZE) as usize],
            generation: 0,
            identity: new_identity(),
        }
    }

    /// The chunk holding `position`, allocated on first touch and marked
    /// changed.
    #[inline]
    fn touch(&mut self, chunk: usize) -> &mut Chunk {
        let generation = self.generation;
        let chunk = self.chunks[chunk].get_or_insert_with(Box::default);
        chunk.generation = generation;
        chunk
    }

    /// Adds one read to the depth `kind` over global `start..end`: a start
    /// event in every chunk it covers, an end event where it ends.
    fn add_interval(&mut self, start: u32, end: u32, kind: u16) {
        let (first, last) = (chunk_of(start), chunk_of(end - 1));
        for c in first..=last {
            let chunk_start = (c as u32) << CHUNK_BITS;
            let chunk = self.touch(c);
            chunk.push_event(start.max(chunk_start) - chunk_start, kind);
            if c == chunk_of(end) {
                chunk.push_event(end - chunk_start, kind | END);
            }
        }
    }

    /// Global coordinate of the VCF anchor of an indel at `position` (the
    /// base before it, or the base itself at a contig's start): indels are
    /// kept in their anchor's chunk, beside the depth that weighs them.
    pub fn indel_anchor(&self, position: u32) -> u32 {
        if self.contig_starts.binary_search(&position).is_ok() {
            position
        } else {
            position.saturating_sub(1)
        }
    }

    /// Adds a batch's evidence. Spans or alleles outside the reference are
    /// ignored (evidence made against another reference is a caller's bug,
    /// but must not corrupt memory).
    pub fn add(&mut self, evidence: &Evidence) {
        self.generation += 1;
        let total = self.total;
        self.reads += evidence.reads;
        let spans = evidence.span_starts.len().min(evidence.span_ends.len());
        for i in 0..spans {
            // Chunks are random accesses: fetch a few reads ahead.
            if let Some(&ahead) = evidence.span_starts.get(i + 8) {
                if let Some(Some(chunk)) = self.chunks.get(chunk_of(ahead)) {
                    prefetch(&**chunk);
                }
            }
            let start = evidence.span_starts[i].min(total);
            let end = evidence.span_ends[i].min(total);
            if start >= end {
                continue;
            }
            let flags = flag(&evidence.span_flags, i);
            // A read in pieces is one read; its pieces' inner ends are no read ends.
            let (before, after) = (flags & CONTINUES_BEFORE != 0, flags & CONTINUES_AFTER != 0);
            if !before {
                self.used_reads += 1;
            }
            let mut kind = 0;
            if flags & REVERSE_STRAND != 0 {
                kind |= REVERSE;
            }
            if flags & COIN_TOSS != 0 {
                kind |= COIN_TOSS_EVENT;
            }
            let inner = |margin: u32| {
                let from = if before { start } else { start + margin };
                (
                    from,
                    if after {
                        end
                    } else {
                        end.saturating_sub(margin)
                    },
                )
            };
            let (inner_start, inner_end) = inner(SNV_MARGIN);
            if inner_start < inner_end {
                self.add_interval(inner_start, inner_end, kind);
            }
            let (inner_start, inner_end) = inner(indel_margin(end - start));
            if inner_start < inner_end {
                self.add_interval(inner_start, inner_end, kind | INDEL);
            }
        }
        for (i, (((&position, &base), &quality), &mapq)) in evidence
            .snv_positions
            .iter()
            .zip(&evidence.snv_bases)
            .zip(&evidence.snv_qualities)
            .zip(&evidence.snv_mapping_qualities)
            .enumerate()
        {
            if let (true, Some(code)) = (position < total, base_code(base)) {
                self.touch(chunk_of(position)).snvs.observe(
                    snv_key(position, code),
                    quality,
                    mapq,
                    flag(&evidence.snv_flags, i),
                );
            }
        }
        let mut inserted_at = 0usize;
        for (i, ((((&position, &length), &replaced), &quality), &mapq)) in evidence
            .indel_positions
            .iter()
            .zip(&evidence.indel_lengths)
            .zip(&evidence.indel_replaced)
            .zip(&evidence.indel_qualities)
            .zip(&evidence.indel_mapping_qualities)
            .enumerate()
        {
            let allele = if length > 0 {
                let end = (inserted_at + length as usize).min(evidence.indel_inserted.len());
                let inserted = evidence.indel_inserted[inserted_at..end].to_vec();
                inserted_at = end;
                IndelAllele {
                    position,
                    deleted: replaced,
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
                let anchor = self.indel_anchor(position);
                self.touch(chunk_of(anchor)).indels.observe(
                    &allele,
                    quality,
                    mapq,
                    flag(&evidence.indel_flags, i),
                );
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
        self.generation += 1;
        self.reads += other.reads;
        self.used_reads += other.used_reads;
        for (c, theirs) in other.chunks.iter().enumerate() {
            if let Some(theirs) = theirs {
                match &mut self.chunks[c] {
                    Some(mine) => mine.absorb(theirs),
                    empty => *empty = Some(theirs.clone()),
                }
                self.touch(c);
            }
        }
        Ok(())
    }

    /// Empties the pileup, keeping its reference layout.
    pub fn clear(&mut self) {
        self.generation += 1;
        self.reads = 0;
        self.used_reads = 0;
        self.chunks.iter_mut().for_each(|chunk| *chunk = None);
        self.identity = new_identity();
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
        self.total
    }

    /// Tells this pileup from every other (a copy, or this one cleared, is
    /// another pileup).
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// A number that grows with every change of the pileup.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Number of chunk slots ([`CHUNK_SIZE`] bases each, the last one
    /// shorter).
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// Global range of chunk `chunk`.
    pub fn chunk_range(&self, chunk: usize) -> std::ops::Range<u32> {
        let start = (chunk as u32) << CHUNK_BITS;
        start..(start + CHUNK_SIZE).min(self.total)
    }

    /// Whether a read has touched chunk `chunk` (an untouched one holds no
    /// depth and no allele).
    pub fn is_touched(&self, chunk: usize) -> bool {
        self.chunks.get(chunk).is_some_and(Option::is_some)
    }

    /// The chunks that changed after generation `generation` (every touched
    /// chunk for 0), in order.
    pub fn changed_since(&self, generation: u64) -> Vec<usize> {
        self.chunks
            .iter()
            .enumerate()
            .filter_map(|(c, chunk)| {
                chunk
                    .as_ref()
                    .filter(|chunk| generation == 0 || chunk.generation > generation)
                    .map(|_| c)
            })
            .collect()
    }

    /// What the pileup holds in memory, part by part.
    pub fn memory(&self) -> PileupMemory {
        let mut memory = PileupMemory {
            total: self.heap_bytes(),
            chunks: self.chunks.iter().flatten().count(),
            ..PileupMemory::default()
        };
        for chunk in self.chunks.iter().flatten() {
            memory.depth_bytes +=
                chunk.events.capacity() * 2 + chunk.dense.as_ref().map_or(0, |d| d.len() * 4);
            let (once, more) = chunk.snvs.counts();
            memory.snvs_seen_once += once;
            memory.snvs_seen_more += more;
            memory.indels += chunk.indels.len();
            let (once_bytes, more_bytes) = chunk.snvs.bytes_by_kind();
            memory.snv_once_bytes += once_bytes;
            memory.snv_more_bytes += more_bytes;
        }
        memory
    }

    /// Bytes the pileup holds, its chunks' and its own.
    pub fn heap_bytes(&self) -> usize {
        std::mem::size_of::<Pileup>()
            + self.chunks.capacity() * std::mem::size_of::<Option<Box<Chunk>>>()
            + self
                .chunks
                .iter()
                .flatten()
                .map(|chunk| chunk.heap_bytes())
                .sum::<usize>()
    }
}
