//! Calling a growing pileup repeatedly, reporting only what changed.

use super::calls::{sort_calls, to_call, visit_alleles, AlleleKey};
use super::{CallerOptions, VariantCall, VariantStatus};
use crate::align::ReferenceIndex;
use crate::pileup::{FxHashMap, Pileup};

/// Calls a growing pileup repeatedly and reports only what changed: alleles
/// that became reportable and alleles whose status changed since the last
/// [`IncrementalCaller::update`]. A confirmed allele whose evidence weakens
/// is reported again as a candidate; it is never silently dropped.
#[derive(Debug, Clone)]
pub struct IncrementalCaller {
    options: CallerOptions,
    reported: FxHashMap<AlleleKey, VariantStatus>,
}

impl IncrementalCaller {
    /// A caller that has reported nothing yet.
    pub fn new(options: CallerOptions) -> Self {
        IncrementalCaller {
            options,
            reported: FxHashMap::default(),
        }
    }

    /// The thresholds in use.
    pub fn options(&self) -> &CallerOptions {
        &self.options
    }

    /// Replaces the thresholds; the next update reports every status they
    /// change.
    pub fn set_options(&mut self, options: CallerOptions) {
        self.options = options;
    }

    /// Number of alleles reported so far.
    pub fn reported_count(&self) -> usize {
        self.reported.len()
    }

    /// Calls `pileup` and returns the calls that are new or changed status
    /// since the previous update, sorted by contig and position.
    pub fn update(&mut self, pileup: &Pileup, index: &ReferenceIndex) -> Vec<VariantCall> {
        let mut calls = Vec::new();
        let mut changes = Vec::new();
        let (reported, mode) = (&self.reported, self.options.mode);
        visit_alleles(
            pileup,
            &pileup.coverage(),
            index,
            &self.options,
            0..index.total_length(),
            &|key| reported.contains_key(key),
            &mut |key, assessment, checks| {
                let changed = match reported.get(&key) {
                    Some(&status) => status != assessment.status,
                    None => assessment.reportable,
                };
                if changed {
                    calls.push(to_call(index, &key, &assessment, checks, mode));
                    changes.push((key, assessment.status));
                }
            },
        );
        self.reported.extend(changes);
        sort_calls(&mut calls);
        calls
    }
}

#[cfg(test)]
mod tests {
    use super::super::simulation;
    use super::super::testing::{pile, small_case};
    use super::*;

    #[test]
    fn reports_only_status_changes_incrementally() {
        let (index, reads) = small_case(40);
        let half = reads.offsets.len() / 8;
        let first = simulation::Reads {
            bases: reads.bases[..reads.offsets[half] as usize].to_vec(),
            qualities: reads.qualities[..reads.offsets[half] as usize].to_vec(),
            offsets: reads.offsets[..=half].to_vec(),
        };
        let mut pileup = Pileup::new(&index);
        let mut caller = IncrementalCaller::new(CallerOptions {
            min_depth: 8,
            ..CallerOptions::default()
        });
        pile(&index, &first, &mut pileup);
        // At 5x the SNV is seen but too shallow for a caller that wants 8 reads.
        let early = caller.update(&pileup, &index);
        let snv_early = early
            .iter()
            .find(|c| c.position == 1_001)
            .expect("SNV reported early");
        assert_eq!(snv_early.status, VariantStatus::Candidate);
        assert!(caller.update(&pileup, &index).is_empty(), "nothing changed");

        pile(&index, &reads, &mut pileup);
        let later = caller.update(&pileup, &index);
        let snv_later = later
            .iter()
            .find(|c| c.position == 1_001)
            .expect("SNV promoted");
        assert_eq!(snv_later.status, VariantStatus::Confirmed);
        assert!(caller.update(&pileup, &index).is_empty());

        // Stricter thresholds demote the calls, which are reported again.
        caller.set_options(CallerOptions {
            min_depth: 1_000,
            ..CallerOptions::default()
        });
        let demoted = caller.update(&pileup, &index);
        assert!(!demoted.is_empty());
        assert!(demoted.iter().all(|c| c.status == VariantStatus::Candidate));
    }
}
