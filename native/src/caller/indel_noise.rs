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
use crate::pileup::{Coverage, FxHashMap, IndelAllele, Pileup};

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
#[derive(Debug, Clone)]
pub(super) struct IndelNoise {
    levels: [f64; LONGEST_RUN + 1],
}

impl IndelNoise {
    /// Learns the noise levels from every homopolymer run of `index` with
    /// enough indel depth in `coverage`.
    pub(super) fn learn(pileup: &Pileup, coverage: &Coverage, index: &ReferenceIndex) -> Self {
        let sequence = index.global_sequence();
        // Left-normalised, a 1-bp indel of a run's base sits at the run's start.
        let mut observed: FxHashMap<u32, u32> = FxHashMap::default();
        for (allele, support) in pileup.indel_alleles() {
            if allele.deleted + allele.inserted.len() as u32 == 1
                && homopolymer_base(allele, sequence)
                    == sequence.get(allele.position as usize).copied()
            {
                *observed.entry(allele.position).or_default() += support.count;
            }
        }
        let anchor_depth = |position: u32| {
            let (_, local) = index.locate(position);
            coverage.indel_depth(if local > 0 { position - 1 } else { position })
        };
        let mut sites = [0usize; LONGEST_RUN + 1];
        for contig in 0..index.contig_count() {
            let offset = index.contig_offset(contig);
            let bases = index.contig_sequence(contig);
            let mut start = 0;
            while start < bases.len() {
                let run = run_length(bases, start, bases[start]);
                let position = offset + start as u32;
                let depth = coverage.indel_depth(if start > 0 { position - 1 } else { position });
                if bases[start] != b'N' && depth >= MIN_SITE_DEPTH {
                    sites[run.min(LONGEST_RUN)] += 1;
                }
                start += run;
            }
        }
        let mut frequencies: [Vec<f64>; LONGEST_RUN + 1] = Default::default();
        for (&position, &count) in &observed {
            let depth = anchor_depth(position);
            let base = sequence[position as usize];
            if base != b'N' && depth >= MIN_SITE_DEPTH {
                let run = run_length(sequence, position as usize, base);
                frequencies[run.min(LONGEST_RUN)].push(count as f64 / depth.max(count) as f64);
            }
        }
        let mut levels = [0.0; LONGEST_RUN + 1];
        for run in 1..=LONGEST_RUN {
            let level = upper_quantile(&mut frequencies[run], sites[run]);
            levels[run] = level.min(MAX_NOISE).max(levels[run - 1]);
        }
        IndelNoise { levels }
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
        let noise = IndelNoise::learn(&pileup, &pileup.coverage(), &index);
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
        let noise = IndelNoise::learn(&pileup, &pileup.coverage(), &index);
        assert_eq!(noise.levels[4], MAX_NOISE);
    }
}
