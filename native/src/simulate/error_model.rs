//! The sequencing error model: per-cycle error rates, their Phred qualities,
//! and the distribution of the number of errors in a read.

use crate::rng::threshold;

/// Lowest and highest Phred quality written.
pub const MIN_QUALITY: u8 = 2;
/// Highest Phred quality written (Illumina 1.8+ `J`).
pub const MAX_QUALITY: u8 = 41;

/// Per-cycle error rates, the tables that sample errors, and the qualities.
#[derive(Clone, Debug)]
pub struct ErrorModel {
    /// `count[k]`: `2^32 ×` probability of at most `k` errors in a read.
    pub count_thresholds: Vec<u64>,
    /// `cycle[i]`: `2^32 ×` probability that an error falls at or before cycle `i`.
    pub cycle_thresholds: Vec<u64>,
    /// Phred+33 quality of each cycle.
    pub qualities: Vec<u8>,
}

/// `10^(-0.05)`: Phred thresholds are `10^(-(q + 0.5) / 10)`.
pub const PHRED_FIRST_THRESHOLD: f64 = 0.891_250_938_133_745_6;
/// `10^(-0.1)`: ratio between successive Phred thresholds.
pub const PHRED_STEP: f64 = 0.794_328_234_724_281_5;

/// Phred quality of error probability `p` (`round(-10 log10 p)` without
/// transcendental functions), clamped to `MIN_QUALITY..=MAX_QUALITY`.
pub fn phred(p: f64) -> u8 {
    let mut t = PHRED_FIRST_THRESHOLD;
    let mut q = 0u8;
    while q < MAX_QUALITY && p < t {
        q += 1;
        t *= PHRED_STEP;
    }
    q.max(MIN_QUALITY)
}

impl ErrorModel {
    /// The model for reads of `length` bases at mean error rate `rate`.
    pub fn new(length: usize, rate: f64) -> Self {
        let rates: Vec<f64> = (0..length)
            .map(|i| {
                let weight = if length == 1 {
                    1.0
                } else {
                    0.5 + i as f64 / (length - 1) as f64
                };
                (rate * weight).min(1.0)
            })
            .collect();
        // Poisson-binomial distribution of the number of errors.
        let mut pmf = vec![0.0f64; length + 1];
        pmf[0] = 1.0;
        for (i, &p) in rates.iter().enumerate() {
            let q = 1.0 - p;
            for k in (1..=i + 1).rev() {
                pmf[k] = pmf[k] * q + pmf[k - 1] * p;
            }
            pmf[0] *= q;
        }
        let mut cumulative = 0.0;
        let mut count_thresholds: Vec<u64> = pmf
            .iter()
            .map(|&p| {
                cumulative += p;
                threshold(cumulative)
            })
            .collect();
        count_thresholds[length] = 1 << 32;
        let total: f64 = rates.iter().sum();
        let mut cumulative = 0.0;
        let mut cycle_thresholds: Vec<u64> = rates
            .iter()
            .map(|&p| {
                cumulative += p;
                if total > 0.0 {
                    threshold(cumulative / total)
                } else {
                    1 << 32
                }
            })
            .collect();
        if let Some(last) = cycle_thresholds.last_mut() {
            *last = 1 << 32;
        }
        let qualities = rates.iter().map(|&p| phred(p) + 33).collect();
        Self {
            count_thresholds,
            cycle_thresholds,
            qualities,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mutate, reference, simulator};
    use super::super::{ReadOptions, COMPLEMENT};
    use super::*;

    #[test]
    fn phred_matches_the_logarithm() {
        assert_eq!(phred(0.001), 30);
        assert_eq!(phred(0.01), 20);
        assert_eq!(phred(0.0005), 33);
        assert_eq!(phred(0.0), MAX_QUALITY);
        assert_eq!(phred(1.0), MIN_QUALITY);
        for q in 2..41u8 {
            let p = 10f64.powf(-f64::from(q) / 10.0);
            assert_eq!(phred(p), q);
        }
    }

    #[test]
    fn error_model_tables_are_monotone_and_complete() {
        let model = ErrorModel::new(150, 0.01);
        assert_eq!(model.count_thresholds.len(), 151);
        assert_eq!(*model.count_thresholds.last().unwrap(), 1 << 32);
        assert!(model.count_thresholds.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*model.cycle_thresholds.last().unwrap(), 1 << 32);
        assert_eq!(model.qualities[0], 33 + 23);
        assert_eq!(model.qualities[149], 33 + 18);
        // P(no error) = prod(1 - p_i) ≈ e^-1.5
        let p0 = model.count_thresholds[0] as f64 / 4294967296.0;
        assert!((p0 - 0.2215).abs() < 0.01, "{p0}");
    }

    #[test]
    fn errors_follow_the_rate_and_qualities_reflect_it() {
        let r = reference(20_000);
        let sample = mutate(&r, 0.0, 0.0);
        let options = ReadOptions {
            read_length: 150,
            error_rate: 0.02,
            ..ReadOptions::default()
        };
        let mut sim = simulator(sample.clone(), options);
        let batch = sim.next_batch(4000);
        let hap = &sample.contigs[0].haplotypes[0];
        let mut mismatches = 0usize;
        for i in 0..batch.len() {
            let read = batch.read(i);
            let name = std::str::from_utf8(read.name).unwrap();
            let fields: Vec<&str> = name.split(':').collect();
            let s: usize = fields[2].split_once('-').unwrap().0.parse().unwrap();
            let mut expected = hap[s - 1..s + 149].to_vec();
            if fields[3] == "-" {
                expected = expected
                    .iter()
                    .rev()
                    .map(|&b| COMPLEMENT[b as usize])
                    .collect();
            }
            mismatches += expected
                .iter()
                .zip(read.bases)
                .filter(|(a, b)| a != b)
                .count();
        }
        let rate = mismatches as f64 / (4000.0 * 150.0);
        assert!((0.018..0.022).contains(&rate), "observed error rate {rate}");
        let mean_quality: f64 = batch
            .read(0)
            .qualities
            .iter()
            .map(|&q| f64::from(q - 33))
            .sum::<f64>()
            / 150.0;
        assert!((15.0..19.0).contains(&mean_quality), "{mean_quality}");
    }
}
