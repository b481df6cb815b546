//! Depths along a stretch of reference at a chosen resolution (fixed-size
//! bins, mean and maximum per bin) and the stretches below a depth, as a
//! genome track and a consensus mask read them.

/// Mean and maximum depth of each bin of a stretch of depths.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthBins {
    /// Bases per bin (the last bin may hold fewer).
    pub bin_size: u32,
    /// Mean depth of each bin.
    pub means: Vec<f64>,
    /// Largest depth of each bin.
    pub maxima: Vec<u32>,
}

/// Bases per bin when `length` bases are split into at most `bins` bins:
/// `max(1, ceil(length / bins))`. `bins` of 0 is taken as 1.
pub fn bin_size(length: u32, bins: u32) -> u32 {
    length.div_ceil(bins.max(1)).max(1)
}

/// Splits `depths` into bins of [`bin_size`]`(depths.len(), bins)` bases
/// and sums each up: `ceil(len / bin_size)` bins, the last one partial when
/// the size does not divide the length.
pub fn depth_bins(depths: &[u32], bins: u32) -> DepthBins {
    let mut binner = DepthBinner::new(depths.len() as u32, bins);
    binner.push(depths);
    binner.finish()
}

/// [`depth_bins`] over depths given piece by piece (a chunk at a time).
#[derive(Debug, Clone)]
pub struct DepthBinner {
    size: u32,
    filled: u32,
    total: u64,
    max: u32,
    bins: DepthBins,
}

impl DepthBinner {
    /// Bins for `length` depths in at most `bins` bins.
    pub fn new(length: u32, bins: u32) -> Self {
        let size = bin_size(length, bins);
        DepthBinner {
            size,
            filled: 0,
            total: 0,
            max: 0,
            bins: DepthBins {
                bin_size: size,
                means: Vec::new(),
                maxima: Vec::new(),
            },
        }
    }

    /// Adds the next depths.
    pub fn push(&mut self, depths: &[u32]) {
        for &depth in depths {
            self.total += u64::from(depth);
            self.max = self.max.max(depth);
            self.filled += 1;
            if self.filled == self.size {
                self.close();
            }
        }
    }

    fn close(&mut self) {
        self.bins
            .means
            .push(self.total as f64 / f64::from(self.filled));
        self.bins.maxima.push(self.max);
        (self.filled, self.total, self.max) = (0, 0, 0);
    }

    /// The bins, the last one partial if depths are left over.
    pub fn finish(mut self) -> DepthBins {
        if self.filled > 0 {
            self.close();
        }
        self.bins
    }
}

/// Maximal runs of positions whose depth is below `min_depth`, as 0-based
/// half-open `(start, end)` pairs over `depths`' indices, in order. Nothing
/// is below a `min_depth` of 0.
pub fn low_depth_runs(depths: &[u32], min_depth: u32) -> Vec<(u32, u32)> {
    let mut runs = LowDepthRuns::new(min_depth);
    runs.push(depths);
    runs.finish()
}

/// [`low_depth_runs`] over depths given piece by piece.
#[derive(Debug, Clone)]
pub struct LowDepthRuns {
    min_depth: u32,
    position: u32,
    start: Option<u32>,
    runs: Vec<(u32, u32)>,
}

impl LowDepthRuns {
    /// No depth seen yet.
    pub fn new(min_depth: u32) -> Self {
        LowDepthRuns {
            min_depth,
            position: 0,
            start: None,
            runs: Vec::new(),
        }
    }

    /// Adds the next depths.
    pub fn push(&mut self, depths: &[u32]) {
        for &depth in depths {
            match (depth < self.min_depth, self.start) {
                (true, None) => self.start = Some(self.position),
                (false, Some(from)) => {
                    self.runs.push((from, self.position));
                    self.start = None;
                }
                _ => {}
            }
            self.position += 1;
        }
    }

    /// The runs, the last one closed at the end of the depths.
    pub fn finish(mut self) -> Vec<(u32, u32)> {
        if let Some(from) = self.start {
            self.runs.push((from, self.position));
        }
        self.runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_size_is_the_ceiling_and_at_least_one() {
        assert_eq!(bin_size(10, 3), 4);
        assert_eq!(bin_size(9, 3), 3);
        assert_eq!(bin_size(5, 500), 1);
        assert_eq!(bin_size(5, 0), 5);
        assert_eq!(bin_size(0, 4), 1);
    }

    #[test]
    fn bins_hold_means_and_maxima_with_a_partial_last_bin() {
        let depths = [1, 2, 3, 4, 10, 0, 0, 0, 7, 9];
        let bins = depth_bins(&depths, 3);
        assert_eq!(bins.bin_size, 4);
        assert_eq!(bins.means, vec![2.5, 2.5, 8.0]);
        assert_eq!(bins.maxima, vec![4, 10, 9]);
    }

    #[test]
    fn more_bins_than_bases_gives_one_base_per_bin() {
        let depths = [3, 0, 5];
        let bins = depth_bins(&depths, 1000);
        assert_eq!(bins.bin_size, 1);
        assert_eq!(bins.means, vec![3.0, 0.0, 5.0]);
        assert_eq!(bins.maxima, vec![3, 0, 5]);
    }

    #[test]
    fn bins_sum_up_to_the_total_depth() {
        let depths: Vec<u32> = (0..1013).map(|i| (i * 7919 % 101) as u32).collect();
        let bins = depth_bins(&depths, 17);
        assert_eq!(
            bins.means.len(),
            depths.len().div_ceil(bins.bin_size as usize)
        );
        let total: f64 = depths
            .chunks(bins.bin_size as usize)
            .zip(&bins.means)
            .map(|(chunk, mean)| mean * chunk.len() as f64)
            .sum();
        let expected: u32 = depths.iter().sum();
        assert!((total - f64::from(expected)).abs() < 1e-6);
    }

    #[test]
    fn low_depth_runs_are_maximal_and_reach_the_ends() {
        let depths = [0, 1, 5, 5, 2, 9, 9, 0];
        assert_eq!(low_depth_runs(&depths, 5), vec![(0, 2), (4, 5), (7, 8)]);
        assert_eq!(low_depth_runs(&depths, 1), vec![(0, 1), (7, 8)]);
        assert_eq!(low_depth_runs(&depths, 0), vec![]);
        assert_eq!(low_depth_runs(&[0, 0, 0], 1), vec![(0, 3)]);
        assert_eq!(low_depth_runs(&[4, 4], 3), vec![]);
    }
}
