//! Where a producer's reads come from.

use crate::batch::Batch;
use crate::error::Result;
use crate::fastq::FastqSource;
use crate::simulate::ReadSimulator;

/// Where reads come from.
pub enum Source {
    /// Simulated reads, endless or up to `limit` reads.
    Simulated {
        /// The simulator.
        simulator: Box<ReadSimulator>,
        /// Stop after this many reads (mates count one each).
        limit: Option<u64>,
    },
    /// FASTQ files; the stream ends with the input.
    Fastq(FastqSource),
}

impl Source {
    /// Refills `batch` with up to `reads` reads; `false` at the end.
    pub(super) fn fill(&mut self, batch: &mut Batch, reads: usize) -> Result<bool> {
        match self {
            Source::Simulated { simulator, limit } => {
                let per_fragment = if simulator.options().paired { 2 } else { 1 };
                let produced = simulator.fragments() * per_fragment;
                let wanted = match limit {
                    Some(limit) => (*limit - produced.min(*limit)).min(reads as u64) as usize,
                    None => reads,
                };
                if wanted == 0 {
                    return Ok(false);
                }
                simulator.fill_batch(batch, wanted.div_ceil(per_fragment as usize));
                Ok(true)
            }
            Source::Fastq(source) => source.fill_batch(batch, reads),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::reference::Reference;
    use crate::simulate::{MutationOptions, ReadOptions, Sample};

    #[test]
    fn a_simulated_source_stops_at_its_limit() {
        let reference = Reference::random(20_000, 3, "r").unwrap();
        let sample = Sample::mutate(&reference, &MutationOptions::default(), 3).unwrap();
        let paired = ReadOptions {
            paired: true,
            ..ReadOptions::default()
        };
        let simulator = ReadSimulator::new(Arc::new(sample), paired, 3).unwrap();
        let mut source = Source::Simulated {
            simulator: Box::new(simulator),
            limit: Some(10),
        };
        let mut batch = Batch::default();
        assert!(source.fill(&mut batch, 6).unwrap());
        assert_eq!(batch.len(), 6);
        assert!(source.fill(&mut batch, 6).unwrap());
        assert_eq!(batch.len(), 4, "the rest of the limit, in whole pairs");
        assert!(!source.fill(&mut batch, 6).unwrap());
    }
}
