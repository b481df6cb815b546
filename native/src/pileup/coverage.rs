//! The depths of every position of a pileup at one moment, summed up from
//! its change arrays.

/// The change arrays of a [`super::Pileup`], one per depth it keeps.
pub(super) struct Depths<'a> {
    pub(super) depth: &'a [u32],
    pub(super) indel_depth: &'a [u32],
    pub(super) reverse_depth: &'a [u32],
    pub(super) reverse_indel_depth: &'a [u32],
    pub(super) coin_toss_depth: &'a [u32],
    pub(super) coin_toss_indel_depth: &'a [u32],
}

/// Depths of every position of a [`super::Pileup`] at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    depth: Vec<u32>,
    indel_depth: Vec<u32>,
    reverse_depth: Vec<u32>,
    reverse_indel_depth: Vec<u32>,
    coin_toss_depth: Vec<u32>,
    coin_toss_indel_depth: Vec<u32>,
}

/// `depth[p] = changes[0] + … + changes[p]` (wrapping), for every position
/// but the array's last (the end of the reference).
fn running_sum(changes: &[u32]) -> Vec<u32> {
    let mut depth = 0u32;
    changes[..changes.len() - 1]
        .iter()
        .map(|&change| {
            depth = depth.wrapping_add(change);
            depth
        })
        .collect()
}

/// Entry `position` of a depth array, 0 outside the reference.
fn at(depths: &[u32], position: u32) -> u32 {
    depths.get(position as usize).copied().unwrap_or(0)
}

impl Coverage {
    /// Sums up every change array.
    pub(super) fn sum(changes: Depths) -> Self {
        Coverage {
            depth: running_sum(changes.depth),
            indel_depth: running_sum(changes.indel_depth),
            reverse_depth: running_sum(changes.reverse_depth),
            reverse_indel_depth: running_sum(changes.reverse_indel_depth),
            coin_toss_depth: running_sum(changes.coin_toss_depth),
            coin_toss_indel_depth: running_sum(changes.coin_toss_indel_depth),
        }
    }

    /// Reads spanning global `position`, [`super::SNV_MARGIN`] bases from
    /// their ends or more (0 outside the reference).
    pub fn depth(&self, position: u32) -> u32 {
        at(&self.depth, position)
    }

    /// Reads that could show an indel anchored at global `position` (see
    /// [`super::indel_margin`]).
    pub fn indel_depth(&self, position: u32) -> u32 {
        at(&self.indel_depth, position)
    }

    /// The reads of [`Coverage::depth`] that match the reverse strand.
    pub fn reverse_depth(&self, position: u32) -> u32 {
        at(&self.reverse_depth, position)
    }

    /// The reads of [`Coverage::indel_depth`] that match the reverse strand.
    pub fn reverse_indel_depth(&self, position: u32) -> u32 {
        at(&self.reverse_indel_depth, position)
    }

    /// The reads of [`Coverage::depth`] placed by a coin toss (MAPQ 0).
    pub fn coin_toss_depth(&self, position: u32) -> u32 {
        at(&self.coin_toss_depth, position)
    }

    /// The reads of [`Coverage::indel_depth`] placed by a coin toss (MAPQ 0).
    pub fn coin_toss_indel_depth(&self, position: u32) -> u32 {
        at(&self.coin_toss_indel_depth, position)
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
