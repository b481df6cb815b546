//! A mutated diploid sample with its truth set, and reads sampled from it.
//!
//! The algorithm is mirrored draw for draw by `reference/simulate.ts`; any
//! change here must be made there too (the differential test will say so).
//!
//! # Mutations
//! For each contig, for each reference position `i` (0-based) not inside a
//! deletion made just before:
//! 1. draw `u`; no mutation unless `u < threshold(mutationRate)`; none on `N`;
//! 2. genotype `below(3)`: 0 homozygous `1|1`, 1 first haplotype `1|0`,
//!    2 second haplotype `0|1`;
//! 3. draw `u`; an indel if `u < threshold(indelFraction)`, otherwise an SNV
//!    whose alternate is `substitute(ref, below(3))`;
//! 4. an indel is a deletion if `bit() == 1`; its length starts at 1 and grows
//!    while it is below 10 and a draw is `< threshold(0.3)`;
//! 5. an insertion adds `length` bases `ACGT[next >> 30]` after base `i`; when
//!    its last base equals base `i` that base becomes `substitute(last,
//!    below(3))`, so the insertion cannot shift left (VCF left-normalised);
//! 6. a deletion removes bases `i+1..=i+length`; it is dropped (no further
//!    draws) if it would pass the contig end, cover an `N`, or shift left
//!    (`ref[i + length] == ref[i]`); otherwise the next `length` positions
//!    are skipped.
//!
//! # Reads
//! Read origins come from the reads stream, errors from the errors stream (so
//! origins can be drawn ahead and their bases prefetched). Per fragment:
//! contig by `below(total reference length)`, haplotype by
//! `bit()`; a haplotype shorter than the read length is drawn again. Paired
//! fragments draw an insert size `mean - 3sd + below(2sd + 1) + below(2sd + 1)
//! + below(2sd + 1)` (bell-shaped, standard deviation ≈ sd) clamped to
//! `[readLength, haplotype length]`. Then the start
//! `below(hapLen - fragment + 1)` and the strand `bit()`. On a contig with
//! `N`s, a fragment with a read more than 10 % `N` is drawn again (at most 8
//! times). Single reads are the window (reverse-complemented on strand 1);
//! pairs are `fwd(start)` and `rc(end)`, swapped on strand 1.
//!
//! Read names record the origin: `serial:haplotype:start-end:strand:contig`
//! (haplotype 1 or 2, 1-based fragment span on that haplotype, strand `+` when
//! the first read is forward), with `/1` and `/2` on mates.
//!
//! Errors: per-cycle rates rise linearly from `0.5 × errorRate` to `1.5 ×
//! errorRate` (capped at 1), qualities are their Phred values (2..=41). The
//! number of errors in a read is drawn from the exact Poisson-binomial of the
//! per-cycle rates (one draw against a cumulative table), each error's cycle in
//! proportion to the per-cycle rate, and its new base by `substitute(base,
//! below(3))`.

mod bases;
mod buffers;
mod error_model;
mod fragments;
mod reads;
mod sample;
#[cfg(test)]
mod testing;
mod truth;

pub use bases::{reverse_complement, substitute, COMPLEMENT};
pub use buffers::push_decimal;
pub use error_model::{
    phred, ErrorModel, MAX_QUALITY, MIN_QUALITY, PHRED_FIRST_THRESHOLD, PHRED_STEP,
};
pub use fragments::N_ATTEMPTS;
pub use reads::{ReadOptions, ReadSimulator};
pub use sample::{MutationOptions, Sample, SampleContig, INDEL_EXTEND, MAX_INDEL};
pub use truth::{Genotype, TruthVariant, VariantKind};
