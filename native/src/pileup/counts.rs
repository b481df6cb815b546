//! The pileup itself: depth and indel depth as change arrays, allele support
//! in hash maps; adding evidence, merging pileups, reading them out.

use super::coverage::{Coverage, Depths};
use super::hasher::FxHashMap;
use super::{
    indel_margin, AlleleSupport, Evidence, IndelAllele, PileupError, SnvAllele, COIN_TOSS,
    REVERSE_STRAND, SNV_MARGIN,
};
use crate::align::{prefetch, ReferenceIndex};

/// Per-position and per-allele evidence over a whole reference.
#[derive(Debug, Clone)]
pub struct Pileup {
    pub(super) contig_lengths: Vec<u32>,
    pub(super) reads: u64,
    pub(super) used_reads: u64,
    /// `depth[p] = depth_changes[0] + … + depth_changes[p]` (wrapping).
    pub(super) depth_changes: Vec<u32>,
    /// The same for the indel depth; see [`indel_margin`].
    pub(super) indel_depth_changes: Vec<u32>,
    /// `depth_changes` of the reverse-strand reads alone.
    pub(super) reverse_depth_changes: Vec<u32>,
    /// `indel_depth_changes` of the reverse-strand reads alone.
    pub(super) reverse_indel_depth_changes: Vec<u32>,
    /// `depth_changes` of the reads placed by a coin toss (MAPQ 0) alone, so
    /// that a site's reference reads weigh what their placement is worth.
    pub(super) coin_toss_depth_changes: Vec<u32>,
    /// `indel_depth_changes` of the reads placed by a coin toss alone.
    pub(super) coin_toss_indel_depth_changes: Vec<u32>,
    /// Key: `global position << 2 | base code`.
    pub(super) snvs: FxHashMap<u64, AlleleSupport>,
    pub(super) indels: FxHashMap<IndelAllele, AlleleSupport>,
}

/// Adds one read over `start..end` to a change array.
#[inline]
fn add_interval(changes: &mut [u32], start: u32, end: u32) {
    changes[start as usize] = changes[start as usize].wrapping_add(1);
    changes[end as usize] = changes[end as usize].wrapping_sub(1);
}

/// Entry `i` of an evidence flags array, 0 (forward, mid-read) when the
/// array is empty (see [`Evidence::span_flags`]).
fn flag(flags: &[u8], i: usize) -> u8 {
    flags.get(i).copied().unwrap_or(0)
}

/// Alternate bases by their 2-bit code in SNV keys.
const BASES: [u8; 4] = *b"ACGT";

/// 2-bit code of an alternate base, `None` for anything but `ACGT`.
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
            reverse_depth_changes: vec![0; total + 1],
            reverse_indel_depth_changes: vec![0; total + 1],
            coin_toss_depth_changes: vec![0; total + 1],
            coin_toss_indel_depth_changes: vec![0; total + 1],
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
            let flags = flag(&evidence.span_flags, i);
            let (reverse, coin_toss) = (flags & REVERSE_STRAND != 0, flags & COIN_TOSS != 0);
            let (inner_start, inner_end) = (start + SNV_MARGIN, end.saturating_sub(SNV_MARGIN));
            if inner_start < inner_end {
                add_interval(&mut self.depth_changes, inner_start, inner_end);
                if reverse {
                    add_interval(&mut self.reverse_depth_changes, inner_start, inner_end);
                }
                if coin_toss {
                    add_interval(&mut self.coin_toss_depth_changes, inner_start, inner_end);
                }
            }
            let margin = indel_margin(end - start);
            let (inner_start, inner_end) = (start + margin, end.saturating_sub(margin));
            if inner_start < inner_end {
                add_interval(&mut self.indel_depth_changes, inner_start, inner_end);
                if reverse {
                    add_interval(
                        &mut self.reverse_indel_depth_changes,
                        inner_start,
                        inner_end,
                    );
                }
                if coin_toss {
                    add_interval(
                        &mut self.coin_toss_indel_depth_changes,
                        inner_start,
                        inner_end,
                    );
                }
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
                self.snvs
                    .entry((position as u64) << 2 | code)
                    .or_default()
                    .observe(quality, mapq, flag(&evidence.snv_flags, i));
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
                self.indels.entry(allele).or_default().observe(
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
        self.reads += other.reads;
        self.used_reads += other.used_reads;
        for (mine, theirs) in [
            (&mut self.depth_changes, &other.depth_changes),
            (&mut self.indel_depth_changes, &other.indel_depth_changes),
            (
                &mut self.reverse_depth_changes,
                &other.reverse_depth_changes,
            ),
            (
                &mut self.reverse_indel_depth_changes,
                &other.reverse_indel_depth_changes,
            ),
            (
                &mut self.coin_toss_depth_changes,
                &other.coin_toss_depth_changes,
            ),
            (
                &mut self.coin_toss_indel_depth_changes,
                &other.coin_toss_indel_depth_changes,
            ),
        ] {
            for (mine, theirs) in mine.iter_mut().zip(theirs) {
                *mine = mine.wrapping_add(*theirs);
            }
        }
        for (key, support) in &other.snvs {
            self.snvs.entry(*key).or_default().absorb(support);
        }
        for (allele, support) in &other.indels {
            self.indels
                .entry(allele.clone())
                .or_default()
                .absorb(support);
        }
        Ok(())
    }

    /// Empties the pileup, keeping its reference layout.
    pub fn clear(&mut self) {
        self.reads = 0;
        self.used_reads = 0;
        self.depth_changes.fill(0);
        self.indel_depth_changes.fill(0);
        self.reverse_depth_changes.fill(0);
        self.reverse_indel_depth_changes.fill(0);
        self.coin_toss_depth_changes.fill(0);
        self.coin_toss_indel_depth_changes.fill(0);
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
        Coverage::sum(Depths {
            depth: &self.depth_changes,
            indel_depth: &self.indel_depth_changes,
            reverse_depth: &self.reverse_depth_changes,
            reverse_indel_depth: &self.reverse_indel_depth_changes,
            coin_toss_depth: &self.coin_toss_depth_changes,
            coin_toss_indel_depth: &self.coin_toss_indel_depth_changes,
        })
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::index_of;
    use crate::pileup::testing::alignments;
    use crate::pileup::{EvidenceOptions, PileupError};

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
        assert_eq!(first.coverage().depth(91), 10);
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
    fn counts_the_reverse_strand_the_coin_tosses_and_the_observations_near_a_read_end() {
        let (index, mut alignments) = alignments();
        alignments.reads[0].strand = crate::align::Strand::Reverse;
        // The coin-toss read now starts two bases before its mismatch's
        // read-end distance runs out.
        alignments.reads[3].start = 12;
        let mut evidence = Evidence::new();
        evidence.add_alignments(&index, &alignments, &EvidenceOptions::default());
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let coverage = pileup.coverage();
        assert_eq!((coverage.depth(70), coverage.reverse_depth(70)), (4, 1));
        assert_eq!(coverage.reverse_indel_depth(90), 1);
        let (_, snv) = pileup.snv_alleles().next().unwrap();
        assert_eq!((snv.count, snv.reverse, snv.forward()), (2, 1, 1));
        assert_eq!(snv.near_read_end, 1);

        // The coin-toss read counts towards depth, and apart as a coin toss.
        assert_eq!(evidence.span_flags[3] & COIN_TOSS, COIN_TOSS);
        assert_eq!(
            evidence.span_flags[..3]
                .iter()
                .filter(|&&f| f & COIN_TOSS != 0)
                .count(),
            0
        );
        assert_eq!(
            (
                coverage.coin_toss_depth(70),
                coverage.coin_toss_indel_depth(90)
            ),
            (1, 1)
        );
        assert_eq!(coverage.coin_toss_depth(55), 0);

        let mut merged = pileup.clone();
        merged.merge(&pileup).unwrap();
        assert_eq!(merged.coverage().reverse_depth(70), 2);
        assert_eq!(merged.coverage().coin_toss_depth(70), 2);
        assert_eq!(merged.snv_alleles().next().unwrap().1.reverse, 2);
        let decoded = Pileup::from_bytes(&pileup.to_bytes()).unwrap();
        assert_eq!(decoded.coverage(), coverage);
        assert_eq!(decoded.snv_alleles().next().unwrap().1, snv);
    }
}
