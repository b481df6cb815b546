//! Calling a growing pileup repeatedly, reporting only what changed, and
//! looking only at the chunks that changed.
//!
//! Each update counts again (for the rates learnt from the whole pileup,
//! see `globals`) only the chunks the pileup changed since the last one,
//! and assesses only their alleles, unless those rates moved: then every
//! chunk holding an allele worth assessing is assessed again, as a call of
//! the whole pileup would. In germline mode the rates are the homopolymer
//! noise levels, which settle early; in population mode the quality bar
//! rises with every base covered, so there every update assesses every
//! chunk with such alleles (still skipping the alleles one read showed).

use super::calls::{sort_calls, to_call};
use super::globals::{ChunkCounts, Globals};
use super::visit::{visit_chunk, AlleleKey};
use super::{CallerOptions, VariantCall, VariantStatus};
use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, Depths, FxHashMap, Pileup};

/// A confirmed call is reported again once its depth has grown by this
/// factor since it was last reported...
pub const REREPORT_DEPTH_GROWTH: f64 = 1.5;
/// ...or its allele frequency has moved by this much with at least
/// [`REREPORT_MIN_DEPTH_GROWTH`] more depth. Depth only grows, so a call is
/// reported again at most `log(final depth / first depth) / log(1.25)`
/// times (16 times from 3 reads to 100).
pub const REREPORT_FREQUENCY_CHANGE: f64 = 0.1;
/// The least depth growth for a moved allele frequency to be reported.
pub const REREPORT_MIN_DEPTH_GROWTH: f64 = 1.25;

/// What an update last reported of an allele.
#[derive(Debug, Clone, Copy)]
struct Reported {
    status: VariantStatus,
    depth: u32,
    allele_frequency: f64,
}

impl Reported {
    /// Whether a call with these figures should be reported again.
    fn moved(&self, status: VariantStatus, depth: u32, allele_frequency: f64) -> bool {
        let growth = f64::from(depth) / f64::from(self.depth.max(1));
        status != self.status
            || (status == VariantStatus::Confirmed
                && (growth >= REREPORT_DEPTH_GROWTH
                    || (growth >= REREPORT_MIN_DEPTH_GROWTH
                        && (allele_frequency - self.allele_frequency).abs()
                            >= REREPORT_FREQUENCY_CHANGE)))
    }
}

/// How much of the pileup the last update looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateWork {
    /// Chunks counted again (changed since the previous update).
    pub chunks_counted: usize,
    /// Chunks whose alleles were assessed.
    pub chunks_assessed: usize,
    /// Whether the rates learnt from the whole pileup moved (or the
    /// thresholds or the pileup changed), so that every chunk was assessed.
    pub whole_pileup: bool,
}

/// Calls a growing pileup repeatedly and reports only what changed: alleles
/// that became reportable, alleles whose status changed since the last
/// [`IncrementalCaller::update`], and confirmed alleles whose depth or
/// allele frequency moved (see [`REREPORT_DEPTH_GROWTH`]). A confirmed
/// allele whose evidence weakens is reported again as a candidate; it is
/// never silently dropped.
#[derive(Debug, Clone)]
pub struct IncrementalCaller {
    options: CallerOptions,
    options_changed: bool,
    reported: FxHashMap<AlleleKey, Reported>,
    /// Reported SNVs per chunk: there the alleles one read showed are
    /// looked at too.
    reported_snvs: FxHashMap<usize, u32>,
    /// Per chunk, its counts as of the last update (about a hundred bytes a
    /// chunk in germline mode: a tenth of a byte per reference base).
    counts: Vec<Option<ChunkCounts>>,
    globals: Option<Globals>,
    /// The pileup and its generation at the last update.
    seen: Option<(u64, u64)>,
    work: UpdateWork,
}

impl IncrementalCaller {
    /// A caller that has reported nothing yet.
    pub fn new(options: CallerOptions) -> Self {
        IncrementalCaller {
            options,
            options_changed: false,
            reported: FxHashMap::default(),
            reported_snvs: FxHashMap::default(),
            counts: Vec::new(),
            globals: None,
            seen: None,
            work: UpdateWork::default(),
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
        self.options_changed = true;
    }

    /// Number of alleles reported so far.
    pub fn reported_count(&self) -> usize {
        self.reported.len()
    }

    /// How much of the pileup the last update looked at.
    pub fn last_work(&self) -> UpdateWork {
        self.work
    }

    /// Calls `pileup` and returns the calls that are new, changed status or
    /// moved since the previous update, sorted by contig and position;
    /// only the chunks changed since then are looked at (see the module's
    /// notes).
    pub fn update(&mut self, pileup: &Pileup, index: &ReferenceIndex) -> Vec<VariantCall> {
        self.run(pileup, index, false)
    }

    /// The same as [`IncrementalCaller::update`], counting and assessing
    /// every chunk afresh: the reference the incremental update is held to.
    pub fn update_rescanning(
        &mut self,
        pileup: &Pileup,
        index: &ReferenceIndex,
    ) -> Vec<VariantCall> {
        self.run(pileup, index, true)
    }

    /// Whether chunk `chunk` holds an allele an update must assess.
    fn worth_assessing(&self, pileup: &Pileup, chunk: usize) -> bool {
        let min_count = self
            .options
            .candidate_min_alt_count
            .min(self.options.min_alt_count);
        min_count <= 1
            || self.reported_snvs.contains_key(&chunk)
            || pileup
                .chunk_snv_alleles(chunk, false)
                .any(|(_, s)| s.count >= min_count)
            || pileup.chunk_indel_alleles(chunk).any(|(a, s)| {
                s.count >= min_count || self.reported.contains_key(&AlleleKey::Indel(a.clone()))
            })
    }

    fn run(&mut self, pileup: &Pileup, index: &ReferenceIndex, rescan: bool) -> Vec<VariantCall> {
        let same_pileup = self
            .seen
            .is_some_and(|(identity, _)| identity == pileup.identity())
            && self.counts.len() == pileup.chunk_count();
        let whole = rescan || self.options_changed || !same_pileup;
        if !same_pileup {
            self.counts = vec![None; pileup.chunk_count()];
        }
        let changed = match self.seen {
            Some((_, generation)) if !whole => pileup.changed_since(generation),
            _ => {
                self.counts.iter_mut().for_each(|c| *c = None);
                pileup.changed_since(0)
            }
        };
        self.seen = Some((pileup.identity(), pileup.generation()));
        let mut coverage = Coverage::default();
        for &chunk in &changed {
            pileup.chunk_coverage(chunk, ChunkCounts::depths(self.options.mode), &mut coverage);
            self.counts[chunk] = Some(ChunkCounts::of_chunk(
                pileup,
                &coverage,
                index,
                chunk,
                self.options.mode,
            ));
        }
        let globals = Globals::from_counts(self.counts.iter().flatten(), &self.options);
        let whole = whole || self.globals.as_ref() != Some(&globals);
        let assess: Vec<usize> = if whole {
            (0..pileup.chunk_count())
                .filter(|&c| pileup.is_touched(c))
                .collect()
        } else {
            changed.clone()
        };
        let mut calls = Vec::new();
        let mut changes = Vec::new();
        let mut assessed = 0;
        let (options, mode) = (&self.options, self.options.mode);
        let everything = 0..index.total_length();
        for chunk in assess {
            if !self.worth_assessing(pileup, chunk) {
                continue;
            }
            assessed += 1;
            pileup.chunk_coverage(chunk, Depths::All, &mut coverage);
            let reported = &self.reported;
            visit_chunk(
                pileup,
                &coverage,
                index,
                options,
                &globals,
                chunk,
                &everything,
                &|key| reported.contains_key(key),
                self.reported_snvs.contains_key(&chunk),
                &mut |key, assessment, checks| {
                    let moved = match reported.get(&key) {
                        Some(last) => last.moved(
                            assessment.status,
                            assessment.depth,
                            assessment.allele_frequency,
                        ),
                        None => assessment.reportable,
                    };
                    if moved {
                        calls.push(to_call(index, &key, &assessment, checks, mode));
                        let last = Reported {
                            status: assessment.status,
                            depth: assessment.depth,
                            allele_frequency: assessment.allele_frequency,
                        };
                        changes.push((key, chunk, last));
                    }
                },
            );
        }
        for (key, chunk, last) in changes {
            if matches!(key, AlleleKey::Snv { .. }) && !self.reported.contains_key(&key) {
                *self.reported_snvs.entry(chunk).or_default() += 1;
            }
            self.reported.insert(key, last);
        }
        self.work = UpdateWork {
            chunks_counted: changed.len(),
            chunks_assessed: assessed,
            whole_pileup: whole,
        };
        self.globals = Some(globals);
        self.options_changed = false;
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
