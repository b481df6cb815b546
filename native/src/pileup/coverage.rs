//! The depths of a stretch of a pileup at one moment, summed up from its
//! chunks' events: only the stretch asked for is ever materialised.

use super::chunk::{track, TRACKS};

/// Depths of the positions `start..start + len` of a [`super::Pileup`] at
/// one moment (see [`super::Pileup::coverage`]); positions outside read 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    pub(super) start: u32,
    pub(super) tracks: [Vec<u32>; TRACKS],
}

impl Coverage {
    fn at(&self, t: usize, position: u32) -> u32 {
        position
            .checked_sub(self.start)
            .and_then(|offset| self.tracks[t].get(offset as usize))
            .copied()
            .unwrap_or(0)
    }

    /// First global position held.
    pub fn start(&self) -> u32 {
        self.start
    }

    /// Reads spanning global `position`, [`super::SNV_MARGIN`] bases from
    /// their ends or more (0 outside the stretch).
    pub fn depth(&self, position: u32) -> u32 {
        self.at(track::DEPTH, position)
    }

    /// Reads that could show an indel anchored at global `position` (see
    /// [`super::indel_margin`]).
    pub fn indel_depth(&self, position: u32) -> u32 {
        self.at(track::INDEL_DEPTH, position)
    }

    /// The reads of [`Coverage::depth`] that match the reverse strand.
    pub fn reverse_depth(&self, position: u32) -> u32 {
        self.at(track::REVERSE_DEPTH, position)
    }

    /// The reads of [`Coverage::indel_depth`] that match the reverse strand.
    pub fn reverse_indel_depth(&self, position: u32) -> u32 {
        self.at(track::REVERSE_INDEL_DEPTH, position)
    }

    /// The reads of [`Coverage::depth`] placed by a coin toss (MAPQ 0).
    pub fn coin_toss_depth(&self, position: u32) -> u32 {
        self.at(track::COIN_TOSS_DEPTH, position)
    }

    /// The reads of [`Coverage::indel_depth`] placed by a coin toss (MAPQ 0).
    pub fn coin_toss_indel_depth(&self, position: u32) -> u32 {
        self.at(track::COIN_TOSS_INDEL_DEPTH, position)
    }

    /// Depth of every position of the stretch.
    pub fn depths(&self) -> &[u32] {
        &self.tracks[track::DEPTH]
    }

    /// Indel depth of every position of the stretch.
    pub fn indel_depths(&self) -> &[u32] {
        &self.tracks[track::INDEL_DEPTH]
    }
}
