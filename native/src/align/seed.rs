//! Seeding and voting: where a read's k-mers hit the reference, and which
//! strand and diagonal most of them agree on.

use super::kmer_table::{canonical_kmer, KmerTable};
use super::Strand;

/// One candidate placement: strand and diagonal (global reference position
/// of the oriented read's first base).
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) strand: Strand,
    pub(super) diagonal: i64,
    pub(super) votes: u32,
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

/// Long reads get at least one seed per this many bases (454 and Ion reads'
/// indels leave fewer exact seeds than their length suggests).
const LONG_READ_SEED_SPACING: usize = 32;

/// Where a read's seeds go: `seeds` k-mers spread evenly from its first to
/// its last base. The first, last and middle seeds form the first round,
/// which settles most reads; the rest are looked up only when those
/// disagree, miss, or align poorly.
#[derive(Debug, Clone, Copy)]
pub(super) struct SeedPlan {
    /// Number of seeds.
    pub(super) seeds: usize,
    span: usize,
    first_round: [usize; 3],
    first_round_len: usize,
}

impl SeedPlan {
    /// The plan for a read of `length`, `None` if it is shorter than `k`.
    pub(super) fn new(length: usize, k: usize, seeds_per_read: usize) -> Option<Self> {
        let span = length.checked_sub(k)?;
        let seeds = seeds_per_read
            .max(length / LONG_READ_SEED_SPACING)
            .clamp(1, span + 1);
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
    pub(super) fn offset(&self, s: usize) -> usize {
        if self.seeds == 1 {
            0
        } else {
            s * self.span / (self.seeds - 1)
        }
    }

    /// Seeds of the first round.
    pub(super) fn first_round(&self) -> &[usize] {
        &self.first_round[..self.first_round_len]
    }
}

/// Seed hits of one read and the candidates they vote for; reused across
/// reads.
#[derive(Debug, Clone, Default)]
pub(super) struct Seeds {
    /// Packed hits (see [`pack_hit`]).
    hits: Vec<u64>,
    /// Read offsets of the k-mers looked up (a minimizer serves every seed
    /// whose window holds it, and votes once).
    looked_up: Vec<usize>,
    candidates: Vec<Candidate>,
}

impl Seeds {
    /// Forgets the previous read's hits.
    pub(super) fn clear(&mut self) {
        self.hits.clear();
        self.looked_up.clear();
    }

    /// Looks up the seed of `read` (normalised) at `offset` (the k-mer the
    /// table samples there, see [`KmerTable::seed_kmer`]) and records the
    /// strand and diagonal of each reference occurrence, unless it occurs
    /// more than `max_occurrences` times or was looked up already.
    pub(super) fn seed(
        &mut self,
        table: &KmerTable,
        read: &[u8],
        offset: usize,
        max_occurrences: usize,
    ) {
        let Some((offset, canonical, orientation)) = table.seed_kmer(read, offset) else {
            return;
        };
        if self.looked_up.contains(&offset) {
            return;
        }
        self.looked_up.push(offset);
        let k = table.kmer_length();
        self.seed_canonical(
            table,
            (canonical, orientation),
            offset,
            k,
            read.len(),
            max_occurrences,
        );
    }

    /// Looks up every k-mer one substitution away from the k-mer of `read`
    /// at `offset` (for reads whose errors leave no exact seed; for a table
    /// looked up at every offset, as the short seeds are).
    pub(super) fn seed_neighbours(
        &mut self,
        table: &KmerTable,
        read: &[u8],
        offset: usize,
        max_occurrences: usize,
    ) {
        let k = table.kmer_length();
        let mut kmer = [0u8; 32];
        kmer[..k].copy_from_slice(&read[offset..offset + k]);
        for i in 0..k {
            let original = kmer[i];
            for base in [b'A', b'C', b'G', b'T']
                .into_iter()
                .filter(|&b| b != original)
            {
                kmer[i] = base;
                if let Some(kmer) = canonical_kmer(&kmer[..k]) {
                    self.seed_canonical(table, kmer, offset, k, read.len(), max_occurrences);
                }
            }
            kmer[i] = original;
        }
    }

    /// Records the hits of the k-mer `(canonical, orientation)` of length
    /// `k`, found at `offset` of a read of `length`.
    fn seed_canonical(
        &mut self,
        table: &KmerTable,
        (canonical, orientation): (u64, u64),
        offset: usize,
        k: usize,
        length: usize,
        max_occurrences: usize,
    ) {
        let (entries, check) = table.bucket(canonical);
        let occurrences = entries.iter().filter(|&&e| e >> 32 == check).count();
        if occurrences > max_occurrences {
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

    /// Groups hits into candidates (same strand, diagonals within `band` of
    /// the group's first), each placed on its most voted diagonal, best first.
    pub(super) fn vote(&mut self, band: usize) {
        self.hits.sort_unstable();
        self.candidates.clear();
        let band = band as i64;
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

    /// Orders the candidates by `key`, smallest first (stable).
    pub(super) fn rank_by(&mut self, key: impl FnMut(&Candidate) -> u32) {
        self.candidates.sort_by_key(key);
    }

    /// The candidates of the last [`Seeds::vote`], most votes first.
    pub(super) fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::reverse_complement;
    use crate::align::testing::setup;

    #[test]
    fn plans_first_last_and_middle_seeds_first() {
        let plan = SeedPlan::new(150, 19, 12).unwrap();
        assert_eq!(plan.first_round(), &[0, 6, 11]);
        assert_eq!((plan.offset(0), plan.offset(11)), (0, 131));
        let short = SeedPlan::new(20, 19, 12).unwrap();
        assert_eq!((short.seeds, short.first_round()), (2, [0, 1].as_slice()));
        assert_eq!(SeedPlan::new(19, 19, 1).unwrap().first_round(), &[0]);
        assert!(SeedPlan::new(18, 19, 12).is_none());
        assert_eq!(SeedPlan::new(3_200, 19, 12).unwrap().seeds, 100);
    }

    #[test]
    fn packs_hits_so_they_sort_by_strand_then_diagonal() {
        for (strand, diagonal) in [(Strand::Forward, -150), (Strand::Reverse, 1 << 30)] {
            assert_eq!(unpack_hit(pack_hit(strand, diagonal)), (strand, diagonal));
        }
        assert!(pack_hit(Strand::Forward, 1 << 30) < pack_hit(Strand::Reverse, -150));
    }

    #[test]
    fn votes_for_the_strand_and_diagonal_most_seeds_agree_on() {
        let (reference, index, _) = setup(12);
        let mut read = reference[4_000..4_150].to_vec();
        read[70] = if read[70] == b'A' { b'C' } else { b'A' };
        let mut seeds = Seeds::default();
        for read_bases in [read.clone(), reverse_complement(&read)] {
            seeds.clear();
            for offset in [0, 20, 65, 131] {
                seeds.seed(index.table(), &read_bases, offset, 64);
            }
            seeds.vote(16);
            let candidates = seeds.candidates();
            assert_eq!(candidates.len(), 1, "one placement");
            assert_eq!((candidates[0].diagonal, candidates[0].votes), (4_000, 3));
        }
        assert_eq!(seeds.candidates()[0].strand, Strand::Reverse);
        // A seed occurring more often than allowed casts no vote.
        seeds.clear();
        seeds.seed(index.table(), &read, 0, 0);
        seeds.vote(16);
        assert!(seeds.candidates().is_empty());
    }
}
