//! An interval index over features: which features cover a stretch of a
//! contig, whose 5' ends lie just downstream of it, and the nearest features
//! to either side.

use super::feature::{Feature, Strand};

/// Bases before a gene's first base that count as upstream of it.
pub const UPSTREAM_WINDOW: u64 = 100;

/// One interval and the feature it belongs to; 1-based, inclusive.
#[derive(Clone, Copy, Debug)]
struct Interval {
    start: u64,
    end: u64,
    feature: usize,
}

/// Intervals sorted by start, with the longest length to bound a search.
#[derive(Debug, Default)]
struct IntervalList {
    intervals: Vec<Interval>,
    longest: u64,
}

impl IntervalList {
    fn new(mut intervals: Vec<Interval>) -> Self {
        intervals.sort_by_key(|i| (i.start, i.end));
        let longest = intervals
            .iter()
            .map(|i| i.end - i.start + 1)
            .max()
            .unwrap_or(0);
        IntervalList { intervals, longest }
    }

    /// Features with an interval overlapping `from..=to`, each once, in index order.
    fn overlapping(&self, from: u64, to: u64, found: &mut Vec<usize>) {
        let last = self.intervals.partition_point(|i| i.start <= to);
        let lowest = from.saturating_sub(self.longest);
        for interval in self.intervals[..last].iter().rev() {
            if interval.start < lowest {
                break;
            }
            if interval.end >= from && !found.contains(&interval.feature) {
                found.push(interval.feature);
            }
        }
        found.sort_unstable();
    }
}

/// Features of one contig, indexed.
#[derive(Debug, Default)]
struct ContigIndex {
    segments: IntervalList,
    upstream: IntervalList,
    gaps: IntervalList,
    /// Feature spans sorted by end, for the nearest feature to the left.
    by_end: Vec<Interval>,
    /// Feature spans sorted by start, for the nearest feature to the right.
    by_start: Vec<Interval>,
}

/// The nearest features on either side of a position, with their distances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Neighbours {
    /// Feature ending before the position, and bases between them.
    pub left: Option<(usize, u64)>,
    /// Feature starting after the position, and bases between them.
    pub right: Option<(usize, u64)>,
}

/// Interval index over all features, per contig.
#[derive(Debug, Default)]
pub struct FeatureIndex {
    contigs: Vec<ContigIndex>,
}

impl FeatureIndex {
    /// Indexes `features` over contigs of the given lengths and topologies.
    pub fn new(features: &[Feature], contigs: &[(u64, bool)]) -> Self {
        let mut segments = vec![Vec::new(); contigs.len()];
        let mut upstream = vec![Vec::new(); contigs.len()];
        let mut spans = vec![Vec::new(); contigs.len()];
        let mut gaps = vec![Vec::new(); contigs.len()];
        for (number, feature) in features.iter().enumerate() {
            let (length, circular) = contigs[feature.contig];
            for segment in &feature.segments {
                segments[feature.contig].push(Interval {
                    start: segment.start,
                    end: segment.end,
                    feature: number,
                });
            }
            for pair in feature.segments.windows(2) {
                let (before, after) = (pair[0], pair[1]);
                // Across the origin of a circular contig there is no gap.
                let (start, end) = match before.strand {
                    Strand::Forward => (before.end + 1, after.start),
                    Strand::Reverse => (after.end + 1, before.start),
                };
                if start < end {
                    gaps[feature.contig].push(Interval {
                        start,
                        end: end - 1,
                        feature: number,
                    });
                }
            }
            let (start, end) = feature.span();
            spans[feature.contig].push(Interval {
                start,
                end,
                feature: number,
            });
            for (start, end) in upstream_window(feature, length, circular) {
                upstream[feature.contig].push(Interval {
                    start,
                    end,
                    feature: number,
                });
            }
        }
        let contigs = segments
            .into_iter()
            .zip(upstream)
            .zip(spans)
            .zip(gaps)
            .map(|(((segments, upstream), spans), gaps)| {
                let mut by_end = spans.clone();
                by_end.sort_by_key(|i| i.end);
                let mut by_start = spans;
                by_start.sort_by_key(|i| i.start);
                ContigIndex {
                    segments: IntervalList::new(segments),
                    upstream: IntervalList::new(upstream),
                    gaps: IntervalList::new(gaps),
                    by_end,
                    by_start,
                }
            })
            .collect();
        FeatureIndex { contigs }
    }

    /// Features with a segment overlapping `from..=to` of `contig`.
    pub fn covering(&self, contig: usize, from: u64, to: u64) -> Vec<usize> {
        let mut found = Vec::new();
        self.contigs[contig]
            .segments
            .overlapping(from, to, &mut found);
        found
    }

    /// Features with a gap between two segments (an intron) overlapping
    /// `from..=to` of `contig`.
    pub fn between_segments(&self, contig: usize, from: u64, to: u64) -> Vec<usize> {
        let mut found = Vec::new();
        self.contigs[contig].gaps.overlapping(from, to, &mut found);
        found
    }

    /// Features whose upstream window overlaps `from..=to` of `contig`.
    pub fn upstream_of(&self, contig: usize, from: u64, to: u64) -> Vec<usize> {
        let mut found = Vec::new();
        self.contigs[contig]
            .upstream
            .overlapping(from, to, &mut found);
        found
    }

    /// The nearest features wholly left of `from` and wholly right of `to`.
    pub fn neighbours(&self, contig: usize, from: u64, to: u64) -> Neighbours {
        let index = &self.contigs[contig];
        let before = index.by_end.partition_point(|i| i.end < from);
        let left = before
            .checked_sub(1)
            .map(|i| index.by_end[i])
            .map(|i| (i.feature, from - i.end));
        let after = index.by_start.partition_point(|i| i.start <= to);
        let right = index.by_start.get(after).map(|i| (i.feature, i.start - to));
        Neighbours { left, right }
    }
}

/// The up to [`UPSTREAM_WINDOW`] bases before a feature's first base, as one
/// or (across the origin of a circular contig) two intervals.
fn upstream_window(feature: &Feature, length: u64, circular: bool) -> Vec<(u64, u64)> {
    let five = feature.five_prime();
    match feature.strand() {
        Strand::Forward => {
            let mut windows = Vec::new();
            if five > 1 {
                windows.push((five.saturating_sub(UPSTREAM_WINDOW).max(1), five - 1));
            }
            let short = UPSTREAM_WINDOW.saturating_sub(five - 1);
            if circular && short > 0 {
                windows.push((length - short + 1, length));
            }
            windows
        }
        Strand::Reverse => {
            let mut windows = Vec::new();
            if five < length {
                windows.push((five + 1, (five + UPSTREAM_WINDOW).min(length)));
            }
            let short = UPSTREAM_WINDOW.saturating_sub(length - five);
            if circular && short > 0 {
                windows.push((1, short));
            }
            windows
        }
    }
}

/// Bases from the variant's nearest base to the feature's first base, going
/// upstream (across the origin of a circular contig when that is shorter).
pub fn upstream_distance(feature: &Feature, from: u64, to: u64, length: u64) -> u64 {
    let five = feature.five_prime();
    let raw = match feature.strand() {
        Strand::Forward => (five + length - to) % length,
        Strand::Reverse => (from + length - five) % length,
    };
    raw.max(1)
}

#[cfg(test)]
mod tests {
    use super::super::feature::{Biotype, Segment};
    use super::*;

    fn gene(start: u64, end: u64, strand: Strand) -> Feature {
        let segments = vec![Segment { start, end, strand }];
        Feature {
            transcript_id: format!("g{start}"),
            ..Feature::example(segments, Biotype::NonCoding("gene".into()))
        }
    }

    #[test]
    fn overlapping_features_are_each_found() {
        let features = [
            gene(100, 400, Strand::Forward),
            gene(350, 900, Strand::Reverse),
            gene(1000, 1100, Strand::Forward),
        ];
        let index = FeatureIndex::new(&features, &[(2000, false)]);
        assert_eq!(index.covering(0, 360, 360), vec![0, 1]);
        assert_eq!(index.covering(0, 950, 960), Vec::<usize>::new());
        assert_eq!(index.covering(0, 1100, 1200), vec![2]);
    }

    #[test]
    fn upstream_follows_the_strand() {
        let features = [
            gene(200, 400, Strand::Forward),
            gene(600, 800, Strand::Reverse),
        ];
        let index = FeatureIndex::new(&features, &[(2000, false)]);
        assert_eq!(index.upstream_of(0, 150, 150), vec![0]);
        assert_eq!(index.upstream_of(0, 99, 99), Vec::<usize>::new());
        assert_eq!(index.upstream_of(0, 850, 850), vec![1]);
        assert_eq!(index.upstream_of(0, 550, 550), Vec::<usize>::new());
        assert_eq!(upstream_distance(&features[0], 150, 150, 2000), 50);
        assert_eq!(upstream_distance(&features[1], 850, 850, 2000), 50);
    }

    #[test]
    fn upstream_windows_wrap_around_the_origin_of_a_circular_contig() {
        let features = [gene(30, 400, Strand::Forward)];
        let index = FeatureIndex::new(&features, &[(2000, true)]);
        assert_eq!(index.upstream_of(0, 1990, 1990), vec![0]);
        assert_eq!(upstream_distance(&features[0], 1990, 1990, 2000), 40);
    }

    #[test]
    fn gaps_between_segments_are_indexed_but_not_across_the_origin() {
        let mut joined = gene(100, 200, Strand::Reverse);
        joined.segments = vec![
            Segment {
                start: 300,
                end: 400,
                strand: Strand::Reverse,
            },
            Segment {
                start: 100,
                end: 200,
                strand: Strand::Reverse,
            },
        ];
        let mut wrapped = gene(1900, 2000, Strand::Forward);
        wrapped.segments.push(Segment {
            start: 1,
            end: 50,
            strand: Strand::Forward,
        });
        let index = FeatureIndex::new(&[joined, wrapped], &[(2000, true)]);
        assert_eq!(index.between_segments(0, 250, 250), vec![0]);
        assert_eq!(index.between_segments(0, 201, 201), vec![0]);
        assert_eq!(index.between_segments(0, 300, 300), Vec::<usize>::new());
        assert_eq!(index.between_segments(0, 1000, 1000), Vec::<usize>::new());
    }

    #[test]
    fn neighbours_are_the_nearest_features_either_side() {
        let features = [
            gene(100, 400, Strand::Forward),
            gene(50, 200, Strand::Forward),
            gene(1000, 1100, Strand::Forward),
        ];
        let index = FeatureIndex::new(&features, &[(2000, false)]);
        let n = index.neighbours(0, 600, 600);
        assert_eq!(n.left, Some((0, 200)));
        assert_eq!(n.right, Some((2, 400)));
        assert_eq!(index.neighbours(0, 1500, 1500).right, None);
    }
}
