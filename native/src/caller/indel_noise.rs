//! The sample's own homopolymer indel noise, learnt from its pileup.
//!
//! Reads lengthen or shorten homopolymers by error far more often than base
//! qualities say (454 and Ion reads read run lengths from signal heights), and
//! the rate grows with the run and varies from site to site: at one run of
//! four a fifth of the reads may drop a base, at most none do. So per run
//! length, the level of 1-bp indel frequency that all but one site in a
//! hundred stay within is taken as the rate at which reads show such an indel
//! by error. Reads free of such errors (the simulator's, most Illumina runs)
//! learn a level near zero, and calling is then as before.

use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, IndelAllele, Pileup};

/// Runs this long and longer share one noise level.
const LONGEST_RUN: usize = 8;
/// Sites with fewer reads that could show an indel say too little of the noise.
const MIN_SITE_DEPTH: u32 = 10;
/// Share of a run length's sites whose 1-bp indel frequency stays within its level.
const NOISE_QUANTILE: f64 = 0.99;
/// The highest level learnt: with fewer than a hundred sites of a run length the
/// most frequent indel sets the level, and a real one shown by every read would
/// make its own reads all noise (a level of 1 leaves no reference reads to weigh
/// it against, and its quality undefined).
const MAX_NOISE: f64 = 0.5;

/// Per run length, the rate at which reads show a 1-bp homopolymer indel by error.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct IndelNoise {
    levels: [f64; LONGEST_RUN + 1],
}

/// What [`IndelNoise`] is learnt from, counted over some chunks of a pileup:
/// per run length, the runs with enough indel depth and the 1-bp indel
/// frequencies seen at them. Counts of chunks add up.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct NoiseCounts {
    sites: [usize; LONGEST_RUN + 1],
    frequencies: Vec<(u8, f64)>,
}

impl NoiseCounts {
    /// Counts the runs and indels anchored in chunk `chunk` of `pileup`,
    /// whose depths `coverage` holds.
    pub(super) fn of_chunk(
        pileup: &Pileup,
        coverage: &Coverage,
        index: &ReferenceIndex,
        chunk: usize,
    ) -> Self {
        let sequence = index.global_sequence();
        let range = pileup.chunk_range(chunk);
        let mut counts = NoiseCounts::default();
        // No site of a chunk this shallow says anything of the noise.
        if coverage
            .indel_depths()
            .iter()
            .all(|&depth| depth < MIN_SITE_DEPTH)
        {
            return counts;
        }
        // Left-normalised, a 1-bp indel of a run's base sits at the run's start.
        let mut observed: Vec<(u32, u32)> = Vec::new();
        for (allele, support) in pileup.chunk_indel_alleles(chunk) {
            if allele.deleted + allele.inserted.len() as u32 == 1
                && homopolymer_base(allele, sequence)
                    == sequence.get(allele.position as usize).copied()
            {
                match observed.iter_mut().find(|(p, _)| *p == allele.position) {
                    Some((_, count)) => *count += support.count,
                    None => observed.push((allele.position, support.count)),
                }
            }
        }
        for (position, count) in observed {
            let depth = coverage.indel_depth(pileup.indel_anchor(position));
            let base = sequence[position as usize];
            if base != b'N' && depth >= MIN_SITE_DEPTH {
                let run = run_length(sequence, position as usize, base);
                counts.frequencies.push((
                    run.min(LONGEST_RUN) as u8,
                    count as f64 / depth.max(count) as f64,
                ));
            }
        }
        // The runs whose anchor lies in the chunk: those starting in it
        // after its first base, one starting just after it, and one starting
        // a contig at its first base.
        let (first_contig, _) = index.locate(range.start);
        for contig in first_contig..index.contig_count() {
            let offset = index.contig_offset(contig);
            if offset > range.end {
                break;
            }
            let bases = index.contig_sequence(contig);
            let contig_end = offset + bases.len() as u32;
            let from = range.start.max(offset);
            let to = (range.end + 1).min(contig_end);
            for position in from..to {
                let local = (position - offset) as usize;
                let base = bases[local];
                if local > 0 && bases[local - 1] == base {
                    continue;
                }
                let anchor = if local > 0 { position - 1 } else { position };
                if !range.contains(&anchor) {
                    continue;
                }
                if base != b'N' && coverage.indel_depth(anchor) >= MIN_SITE_DEPTH {
                    counts.sites[capped_run_length(bases, local, base)] += 1;
                }
            }
        }
        counts
    }

    /// Adds `other`'s counts.
    pub(super) fn add(&mut self, other: &NoiseCounts) {
        for (mine, theirs) in self.sites.iter_mut().zip(&other.sites) {
            *mine += theirs;
        }
        self.frequencies.extend_from_slice(&other.frequencies);
    }
}

impl IndelNoise {
    /// The noise levels the counted runs and indels show.
    pub(super) fn from_counts(counts: &NoiseCounts) -> Self {
        let mut frequencies: [Vec<f64>; LONGEST_RUN + 1] = Default::default();
        for &(run, frequency) in &counts.frequencies {
            frequencies[usize::from(run)].push(frequency);
        }
        let mut levels = [0.0; LONGEST_RUN + 1];
        for run in 1..=LONGEST_RUN {
            let level = upper_quantile(&mut frequencies[run], counts.sites[run]);
            levels[run] = level.min(MAX_NOISE).max(levels[run - 1]);
        }
        IndelNoise { levels }
    }

    /// Learns the noise levels of the whole of `pileup`.
    #[cfg(test)]
    pub(super) fn learn(pileup: &Pileup, index: &ReferenceIndex) -> Self {
        let mut counts = NoiseCounts::default();
        let mut coverage = Coverage::default();
        for chunk in 0..pileup.chunk_count() {
            pileup.chunk_coverage(chunk, crate::pileup::Depths::Indel, &mut coverage);
            counts.add(&NoiseCounts::of_chunk(pileup, &coverage, index, chunk));
        }
        Self::from_counts(&counts)
    }

    /// Error rate of `allele`: its run's level if it lengthens or shortens a
    /// homopolymer, else 0 (base qualities alone then speak for its reads).
    pub(super) fn of(&self, allele: &IndelAllele, index: &ReferenceIndex) -> f64 {
        let sequence = index.global_sequence();
        let Some(base) = homopolymer_base(allele, sequence) else {
            return 0.0;
        };
        let run = run_length(sequence, allele.position as usize, base);
        self.levels[run.clamp(1, LONGEST_RUN)]
    }
}

/// The one base an indel inserts or deletes, if all its bases are one.
fn homopolymer_base(allele: &IndelAllele, sequence: &[u8]) -> Option<u8> {
    let start = allele.position as usize;
    if allele.deleted > 0 && !allele.inserted.is_empty() {
        return None;
    }
    let bases = if allele.deleted > 0 {
        sequence.get(start..start + allele.deleted as usize)?
    } else {
        allele.inserted.as_slice()
    };
    let first = *bases.first()?;
    bases.iter().all(|&b| b == first).then_some(first)
}

/// `run_length(…).min(LONGEST_RUN)`, looking no further than that.
fn capped_run_length(sequence: &[u8], position: usize, base: u8) -> usize {
    sequence[position.min(sequence.len())..]
        .iter()
        .take(LONGEST_RUN)
        .take_while(|&&b| b == base)
        .count()
}

/// Length of the run of `base` from `position` on.
fn run_length(sequence: &[u8], position: usize, base: u8) -> usize {
    sequence[position.min(sequence.len())..]
        .iter()
        .take_while(|&&b| b == base)
        .count()
}

/// The frequency that the top `1 − NOISE_QUANTILE` of `sites` sites reach;
/// `frequencies` holds the non-zero ones, the other sites have none.
fn upper_quantile(frequencies: &mut [f64], sites: usize) -> f64 {
    frequencies.sort_by(|a, b| b.total_cmp(a));
    let above = ((1.0 - NOISE_QUANTILE) * sites as f64) as usize;
    frequencies.get(above).copied().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::super::simulation::Rng;
    use super::*;
    use crate::align::testing::index_of;
    use crate::pileup::Evidence;

    #[test]
    fn learns_the_indel_noise_of_each_run_length_from_the_reads() {
        let reference = Rng::new(7).bases(20_000);
        let index = index_of(&[("chr1", reference.as_slice())]);
        let mut evidence = Evidence::new();
        for _ in 0..40 {
            evidence.span_starts.push(0);
            evidence.span_ends.push(reference.len() as u32);
        }
        // Four of the forty reads shorten every run of four bases.
        let mut start = 0;
        while start < reference.len() {
            let run = run_length(&reference, start, reference[start]);
            if run == 4 && start > 20 {
                for _ in 0..4 {
                    evidence.indel_positions.push(start as u32);
                    evidence.indel_lengths.push(-1);
                    evidence.indel_replaced.push(0);
                    evidence.indel_qualities.push(30);
                    evidence.indel_mapping_qualities.push(60);
                }
            }
            start += run;
        }
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let noise = IndelNoise::learn(&pileup, &index);
        assert_eq!(noise.levels[1..4], [0.0; 3]);
        // Longer runs are at least as noisy as shorter ones.
        assert!(noise.levels[4..].iter().all(|&level| level == 0.1));

        let run_of_four = evidence.indel_positions[0];
        let shortened = IndelAllele {
            position: run_of_four,
            deleted: 1,
            inserted: Vec::new(),
        };
        assert_eq!(noise.of(&shortened, &index), 0.1);
        let lengthened = IndelAllele {
            position: run_of_four,
            deleted: 0,
            inserted: vec![reference[run_of_four as usize]; 2],
        };
        assert_eq!(noise.of(&lengthened, &index), 0.1);
        let other_base = IndelAllele {
            position: run_of_four,
            deleted: 0,
            inserted: b"AC".to_vec(),
        };
        assert_eq!(noise.of(&other_base, &index), 0.0);
    }

    #[test]
    fn a_lone_homopolymer_indel_in_every_read_is_not_taken_for_noise() {
        let reference = Rng::new(8).bases(5_000);
        let index = index_of(&[("chr1", reference.as_slice())]);
        let mut evidence = Evidence::new();
        for _ in 0..30 {
            evidence.span_starts.push(0);
            evidence.span_ends.push(reference.len() as u32);
        }
        let mut start = 0;
        let mut runs_of_four = Vec::new();
        while start < reference.len() {
            let run = run_length(&reference, start, reference[start]);
            if run == 4 && start > 20 {
                runs_of_four.push(start as u32);
            }
            start += run;
        }
        // Far fewer than a hundred runs of four: the one every read shortens is their top site.
        assert!(!runs_of_four.is_empty() && runs_of_four.len() < 100);
        for _ in 0..30 {
            evidence.indel_positions.push(runs_of_four[0]);
            evidence.indel_lengths.push(-1);
            evidence.indel_replaced.push(0);
            evidence.indel_qualities.push(30);
            evidence.indel_mapping_qualities.push(60);
        }
        let mut pileup = Pileup::new(&index);
        pileup.add(&evidence);
        let noise = IndelNoise::learn(&pileup, &index);
        assert_eq!(noise.levels[4], MAX_NOISE);
    }
}
