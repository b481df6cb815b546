//! The insert-size model of paired reads, learned from the data: median and
//! median absolute deviation of the template lengths of confidently and
//! uniquely placed pairs in forward–reverse orientation, kept as a running
//! estimate over the most recent pairs.

use super::{ReadPlacement, Strand};

/// Pairs whose mates both map with at least this quality teach the model.
const CONFIDENT_MAPQ: u8 = 60;
/// Template lengths beyond this are structural oddities, not the library.
const LONGEST_LEARNED_TEMPLATE: u32 = 50_000;
/// The model speaks only once it has seen this many pairs.
const FEWEST_PAIRS: usize = 64;
/// Template lengths remembered: the most recent ones, in a ring.
const REMEMBERED_PAIRS: usize = 8_192;
/// A normal distribution's standard deviation is this many MADs.
const MAD_TO_SIGMA: f64 = 1.4826;
/// Proper pairs lie within this many standard deviations of the median.
const PROPER_SIGMAS: f64 = 4.0;
/// The spread assumed at least, so a library of one length still tolerates
/// the alignments' clips and indels.
const LEAST_SIGMA: f64 = 10.0;
/// A score unit per this many natural-log units of likelihood (BWA's
/// 1 / ln 4 with a match scoring 1).
const SCORE_PER_LOG_LIKELIHOOD: f64 = 0.721;

/// Template length of two mates placed forward–reverse on one contig (the
/// forward mate's start to the reverse mate's end), `None` otherwise.
pub(super) fn template_length(a: &ReadPlacement, b: &ReadPlacement) -> Option<u32> {
    if !a.mapped || !b.mapped || a.contig != b.contig || a.strand == b.strand {
        return None;
    }
    let (forward, reverse) = match a.strand {
        Strand::Forward => (a, b),
        Strand::Reverse => (b, a),
    };
    reverse
        .end
        .checked_sub(forward.start)
        .filter(|&t| t >= forward.end.saturating_sub(forward.start))
}

/// Template lengths of the library, learned from the pairs seen.
#[derive(Debug, Clone, Default)]
pub struct InsertSizeModel {
    lengths: Vec<u32>,
    next: usize,
    sorted: Vec<u32>,
    estimate: Option<InsertSize>,
}

/// The library's template length: median and spread.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InsertSize {
    /// Median template length.
    pub median: f64,
    /// Standard deviation estimated from the median absolute deviation.
    pub sigma: f64,
}

impl InsertSize {
    /// Shortest and longest template length of a proper pair.
    pub fn proper_range(&self) -> (u32, u32) {
        let reach = PROPER_SIGMAS * self.sigma;
        let low = (self.median - reach).max(0.0);
        (low.floor() as u32, (self.median + reach).ceil() as u32)
    }

    /// Whether a template of `length` fits the library.
    pub fn is_proper(&self, length: u32) -> bool {
        let (low, high) = self.proper_range();
        (low..=high).contains(&length)
    }

    /// Score units a template of `length` costs for its unlikeliness
    /// (0 at the median; a Gaussian log-likelihood).
    pub fn penalty(&self, length: u32) -> i32 {
        let z = (length as f64 - self.median) / self.sigma;
        (SCORE_PER_LOG_LIKELIHOOD * z * z / 2.0).round() as i32
    }
}

impl InsertSizeModel {
    /// The current estimate, `None` until enough pairs were seen.
    pub fn estimate(&self) -> Option<InsertSize> {
        self.estimate
    }

    /// Learns from mates `2k`, `2k + 1` of `reads` (placed independently)
    /// and updates the estimate.
    pub fn learn(&mut self, reads: &[ReadPlacement]) {
        for pair in reads.chunks_exact(2) {
            let [a, b] = pair else { continue };
            if a.mapq < CONFIDENT_MAPQ || b.mapq < CONFIDENT_MAPQ {
                continue;
            }
            if let Some(length) = template_length(a, b).filter(|&t| t <= LONGEST_LEARNED_TEMPLATE) {
                self.remember(length);
            }
        }
        if self.lengths.len() < FEWEST_PAIRS {
            return;
        }
        self.sorted.clear();
        self.sorted.extend_from_slice(&self.lengths);
        let middle = self.sorted.len() / 2;
        let median = *self.sorted.select_nth_unstable(middle).1;
        for length in &mut self.sorted {
            *length = length.abs_diff(median);
        }
        let mad = *self.sorted.select_nth_unstable(middle).1;
        self.estimate = Some(InsertSize {
            median: median as f64,
            sigma: (mad as f64 * MAD_TO_SIGMA).max(LEAST_SIGMA),
        });
    }

    fn remember(&mut self, length: u32) {
        if self.lengths.len() < REMEMBERED_PAIRS {
            self.lengths.push(length);
        } else {
            self.lengths[self.next] = length;
            self.next = (self.next + 1) % REMEMBERED_PAIRS;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(strand: Strand, start: u32, end: u32) -> ReadPlacement {
        ReadPlacement {
            mapped: true,
            strand,
            start,
            end,
            mapq: 60,
            ..ReadPlacement::UNMAPPED
        }
    }

    /// `pairs` forward–reverse pairs of 100 bp mates with templates of
    /// 370, 400 and 430 in turn, mate order alternating too.
    fn library(pairs: u32) -> Vec<ReadPlacement> {
        (0..pairs)
            .flat_map(|i| {
                let start = i * 1_000;
                let end = start + [370, 400, 430][i as usize % 3];
                let forward = placed(Strand::Forward, start, start + 100);
                let reverse = placed(Strand::Reverse, end - 100, end);
                if i % 4 < 2 {
                    [forward, reverse]
                } else {
                    [reverse, forward]
                }
            })
            .collect()
    }

    #[test]
    fn measures_forward_reverse_templates_only() {
        let forward = placed(Strand::Forward, 100, 200);
        assert_eq!(
            template_length(&forward, &placed(Strand::Reverse, 400, 500)),
            Some(400)
        );
        assert_eq!(
            template_length(&placed(Strand::Reverse, 400, 500), &forward),
            Some(400)
        );
        // Reverse–forward (the mates face away) and same-strand pairs are not.
        assert_eq!(
            template_length(&forward, &placed(Strand::Reverse, 0, 90)),
            None
        );
        assert_eq!(
            template_length(&forward, &placed(Strand::Forward, 400, 500)),
            None
        );
    }

    #[test]
    fn learns_the_median_and_spread_of_confident_pairs() {
        let mut model = InsertSizeModel::default();
        model.learn(&library(10));
        assert_eq!(model.estimate(), None, "too few pairs to say");
        let mut reads = library(200);
        // Repeated pairs do not teach it, whatever their template.
        for read in reads.iter_mut().skip(1).step_by(10) {
            read.mapq = 0;
            read.end += 5_000;
        }
        model.learn(&reads);
        let insert = model.estimate().unwrap();
        assert_eq!(insert.median, 400.0);
        assert!((insert.sigma - 30.0 * MAD_TO_SIGMA).abs() < 1e-9);
        assert!(insert.is_proper(400) && insert.is_proper(570));
        assert!(!insert.is_proper(600) && !insert.is_proper(200));
        assert_eq!(insert.penalty(400), 0);
        assert!(insert.penalty(550) > insert.penalty(450));
    }
}
