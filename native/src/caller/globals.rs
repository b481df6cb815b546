//! What calling an allele needs to know of the whole pileup (the sample's
//! error rates and homopolymer noise), learnt chunk by chunk: each chunk's
//! counts are kept, so that after a batch only the chunks it changed are
//! counted again.

use super::background::{Background, BackgroundCounts};
use super::indel_noise::{IndelNoise, NoiseCounts};
use super::{CallerOptions, CallingMode};
use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, Depths, Pileup};

/// The counts of one chunk that the whole pileup's rates are learnt from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ChunkCounts {
    /// Counted in population mode alone (germline calling does not use it);
    /// boxed, so that a germline caller's counts of a chunk stay small.
    background: Option<Box<BackgroundCounts>>,
    noise: NoiseCounts,
}

impl ChunkCounts {
    /// The depths counting a chunk reads.
    pub(super) fn depths(mode: CallingMode) -> Depths {
        match mode {
            CallingMode::Population => Depths::DepthAndIndel,
            CallingMode::Germline => Depths::Indel,
        }
    }

    /// Counts chunk `chunk` of `pileup`, whose depths `coverage` holds.
    pub(super) fn of_chunk(
        pileup: &Pileup,
        coverage: &Coverage,
        index: &ReferenceIndex,
        chunk: usize,
        mode: CallingMode,
    ) -> Self {
        ChunkCounts {
            background: (mode == CallingMode::Population)
                .then(|| Box::new(BackgroundCounts::of_chunk(pileup, coverage, index, chunk))),
            noise: NoiseCounts::of_chunk(pileup, coverage, index, chunk),
        }
    }
}

/// The rates learnt from the whole pileup, and the quality bar they set.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Globals {
    pub(super) background: Option<Background>,
    pub(super) noise: IndelNoise,
    pub(super) min_quality: f64,
}

impl Globals {
    /// The rates of the chunks counted in `counts`, in reference order.
    pub(super) fn from_counts<'a>(
        counts: impl Iterator<Item = &'a ChunkCounts>,
        options: &CallerOptions,
    ) -> Self {
        let mut background: Option<BackgroundCounts> =
            (options.mode == CallingMode::Population).then(BackgroundCounts::default);
        let mut noise = NoiseCounts::default();
        for chunk in counts {
            if let (Some(total), Some(counted)) = (&mut background, &chunk.background) {
                total.add(counted);
            }
            noise.add(&chunk.noise);
        }
        let background = background.as_ref().map(Background::from_counts);
        let min_quality = background
            .as_ref()
            .map_or(options.min_quality, |b| b.min_quality(options.min_quality));
        Globals {
            background,
            noise: IndelNoise::from_counts(&noise),
            min_quality,
        }
    }

    /// Learns the rates of every chunk of `pileup`.
    pub(super) fn learn(pileup: &Pileup, index: &ReferenceIndex, options: &CallerOptions) -> Self {
        let mut coverage = Coverage::default();
        let counts: Vec<ChunkCounts> = (0..pileup.chunk_count())
            .filter(|&c| pileup.is_touched(c))
            .map(|c| {
                pileup.chunk_coverage(c, ChunkCounts::depths(options.mode), &mut coverage);
                ChunkCounts::of_chunk(pileup, &coverage, index, c, options.mode)
            })
            .collect();
        Self::from_counts(counts.iter(), options)
    }
}
