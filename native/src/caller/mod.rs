//! Variant calling from a [`Pileup`]: SNVs, insertions and deletions with
//! depth, allele frequency, a Phred quality, a genotype and a status.
//!
//! Model (per alternate allele, diploid by default): every read either shows the allele
//! or not. With `e` a read's error probability (from its base quality),
//! * `0/0`: an alternate read is an error turned into this allele (`e / 3`),
//!   another read is right (`1 − e`);
//! * `0/1`: each read shows either haplotype (`1/2`);
//! * `1/1`: an alternate read is right (`1 − e`), another read is an error
//!   (`e / 3`).
//!
//! With priors `1 − 1.5θ`, `θ`, `θ/2`, `QUAL = −10 log10 P(0/0 | reads)`
//! (capped at [`MAX_QUALITY`]) and the genotype is the likelier of `0/1` and
//! `1/1`.
//!
//! Haploid (bacteria, archaea, phages; [`Ploidy::Haploid`]), as bcftools'
//! `--ploidy 1`: a site is `0` (as `0/0`) or `1` (as `1/1`), with priors
//! `1 − θ` and `θ`; the genotype is `1` and `QUAL = −10 log10 P(0 | reads)`.
//! No genotype explains an allele in a minority of the reads, so one is not
//! confirmed: the reads mostly say reference. The alleles of one site compete
//! (see `haploid_sites`): a rival allele's reads weigh in neither hypothesis,
//! and only the allele most reads show is confirmed. The pileup keeps the alternate reads' summed qualities, not each
//! one's, which is all the `e / 3` terms need (log e is linear in the Phred
//! score); the `1 − e` terms, all close to 1, use the mean. The other reads'
//! base qualities are not kept: their mean is taken to be that of the
//! uniquely placed alternate reads. Their placements are: the pileup counts
//! a site's reads placed by a coin toss (MAPQ 0), and such a read, showing
//! the reference or not, weighs [`crate::pileup::MIN_OBSERVATION_QUALITY`]
//! as in bcftools, so that reads from the other copies of a repeat do not
//! outvote the uniquely placed reads of the copy that changed.
//! An indel that lengthens or shortens a homopolymer is weighed against the
//! sample's own noise at runs of its length (see `indel_noise`): under `0/0`
//! a read shows it by error at least that often, whatever its base quality.
//!
//! Depth counts the reads that could show the allele: for SNVs those
//! spanning the position with [`crate::pileup::SNV_MARGIN`] bases to spare,
//! for indels with [`crate::pileup::indel_margin`] (an indel near a read's
//! end is invisible to the aligner), so an indel's depth is a little lower
//! than an SNV's at the same place.
//!
//! Population mode ([`CallingMode::Population`]) weighs each allele against
//! sequencing errors alone, at any frequency, with no genotype (see
//! `population`); both modes count each allele's reads per strand and test
//! them for strand bias (see `filters`).

#[cfg(test)]
mod accuracy;
mod background;
mod call;
mod calls;
mod filters;
mod genotype;
#[cfg(test)]
mod genotype_tests;
mod globals;
mod haploid_sites;
mod incremental;
#[cfg(test)]
mod incremental_tests;
mod indel_noise;
mod mode;
mod population;
#[cfg(test)]
mod population_accuracy;
#[cfg(test)]
mod population_tests;
mod probability;
#[cfg(test)]
pub(crate) mod simulation;
#[cfg(test)]
mod testing;
mod visit;

pub use call::{
    CallerOptions, Genotype, Ploidy, VariantCall, VariantStatus, VariantType, MAX_QUALITY,
};
pub use calls::{call_region, call_variants};
pub use filters::{
    StrandCounts, VariantFilter, ABSENT_STRAND_RATIO, MIN_REFERENCE_STRAND_SHARE,
    STRAND_BIAS_MIN_PHRED,
};
pub use incremental::{
    IncrementalCaller, UpdateWork, REREPORT_DEPTH_GROWTH, REREPORT_FREQUENCY_CHANGE,
    REREPORT_MIN_DEPTH_GROWTH,
};
pub use mode::{CallingMode, POPULATION_MIN_ALLELE_FREQUENCY};
pub use population::FREQUENCY_TOLERANCE;
