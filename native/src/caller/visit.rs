//! Assessing the alleles of one chunk of a pileup: each allele with enough
//! reads (or that a caller asks to keep) weighed against the reference and
//! checked, with the rates learnt from the whole pileup ([`Globals`]).

use std::ops::Range;

use super::filters::{Checks, StrandCounts};
use super::genotype::{assess, Assessment, CoinTosses};
use super::globals::Globals;
use super::haploid_sites::{Rivals, SiteAlleles};
use super::population::{self, ErrorSource};
use super::{CallerOptions, Ploidy};
use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, IndelAllele, Pileup};

/// An alternate allele as the pileup keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum AlleleKey {
    Snv { position: u32, base: u8 },
    Indel(IndelAllele),
}

/// Calls every allele of chunk `chunk` of `pileup` (depths in `coverage`)
/// anchored in global `range`, passing each with its assessment and checks
/// to `visit`. Alleles with too few reads to be reported (most of them:
/// sequencing errors) are skipped before any work, and alleles not
/// reportable after their assessment before their checks, unless
/// `keep_weak` says to keep them; alleles one read showed are not even
/// looked at unless the thresholds allow one read or `weak_singles` says
/// `keep_weak` may want one.
#[allow(clippy::too_many_arguments)]
pub(super) fn visit_chunk(
    pileup: &Pileup,
    coverage: &Coverage,
    index: &ReferenceIndex,
    options: &CallerOptions,
    globals: &Globals,
    chunk: usize,
    range: &Range<u32>,
    keep_weak: &dyn Fn(&AlleleKey) -> bool,
    weak_singles: bool,
    visit: &mut dyn FnMut(AlleleKey, Assessment, Checks),
) {
    let background = globals.background.as_ref();
    let min_quality = globals.min_quality;
    let mut visit = |key: AlleleKey, mut assessment: Assessment, strands, support| {
        if assessment.reportable || keep_weak(&key) {
            let checks = Checks::new(strands, &support, &mut assessment, min_quality, options);
            visit(key, assessment, checks);
        }
    };
    let min_count = options.candidate_min_alt_count.min(options.min_alt_count);
    // One copy carries one allele: a haploid site's alleles compete (in
    // the genotype model; population alleles stand each on its own).
    let sites = (options.ploidy == Ploidy::Haploid && background.is_none())
        .then(|| SiteAlleles::tally(pileup, index, chunk));
    for (allele, support) in pileup.chunk_snv_alleles(chunk, min_count <= 1 || weak_singles) {
        // A reference `N` (or IUPAC code) the reads agree on is called too:
        // `REF` is then `N`.
        if !range.contains(&allele.position) {
            continue;
        }
        let key = AlleleKey::Snv {
            position: allele.position,
            base: allele.base,
        };
        if support.count < min_count && !keep_weak(&key) {
            continue;
        }
        let depth = coverage.depth(allele.position);
        let assessment = match background {
            None => {
                let rivals = sites.as_ref().map_or(Rivals::NONE, |sites| {
                    sites.snv_rivals(allele.position, &support)
                });
                let coin_tosses = CoinTosses {
                    site: coverage.coin_toss_depth(allele.position),
                    alt: support.zero_mapping_quality,
                };
                assess(
                    depth,
                    support.count,
                    support.quality_sum,
                    coin_tosses,
                    0.0,
                    rivals,
                    options,
                )
                .placed(&support, options)
            }
            Some(background) => {
                let reference = index.global_sequence()[allele.position as usize];
                let errors = ErrorSource::snv(background, reference, allele.base);
                population::assess(depth, &support, errors, min_quality, options)
            }
        };
        let strands = StrandCounts::of_snv(pileup, coverage, allele.position, &support);
        visit(key, assessment, strands, support);
    }
    for (allele, support) in pileup.chunk_indel_alleles(chunk) {
        let anchor = allele.anchor(index);
        if !range.contains(&anchor) {
            continue;
        }
        let key = AlleleKey::Indel(allele.clone());
        if support.count < min_count && !keep_weak(&key) {
            continue;
        }
        let (depth, noise) = (
            coverage.indel_depth(anchor),
            globals.noise.of(allele, index),
        );
        let assessment = match background {
            None => {
                let rivals = sites
                    .as_ref()
                    .map_or(Rivals::NONE, |sites| sites.indel_rivals(anchor, &support));
                let coin_tosses = CoinTosses {
                    site: coverage.coin_toss_indel_depth(anchor),
                    alt: support.zero_mapping_quality,
                };
                assess(
                    depth,
                    support.count,
                    support.quality_sum,
                    coin_tosses,
                    noise,
                    rivals,
                    options,
                )
                .placed(&support, options)
            }
            Some(background) => {
                let errors = ErrorSource::indel(background, noise);
                population::assess(depth, &support, errors, min_quality, options)
            }
        };
        let strands = StrandCounts::of_indel(coverage, anchor, &support);
        visit(key, assessment, strands, support);
    }
}
