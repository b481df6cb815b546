//! Variant calling from a [`Pileup`]: SNVs, insertions and deletions with
//! depth, allele frequency, a Phred quality, a genotype and a status.
//!
//! Model (per alternate allele, diploid): every read either shows the allele
//! or not. With `e` a read's error probability (from its base quality),
//! * `0/0`: an alternate read is an error turned into this allele (`e / 3`),
//!   another read is right (`1 − e`);
//! * `0/1`: each read shows either haplotype (`1/2`);
//! * `1/1`: an alternate read is right (`1 − e`), another read is an error
//!   (`e / 3`).
//!
//! With priors `1 − 1.5θ`, `θ`, `θ/2`, `QUAL = −10 log10 P(0/0 | reads)`
//! (capped at [`MAX_QUALITY`]) and the genotype is the likelier of `0/1` and
//! `1/1`. The pileup keeps the alternate reads' summed qualities, not each
//! one's, which is all the `e / 3` terms need (log e is linear in the Phred
//! score); the `1 − e` terms, all close to 1, use the mean. The other reads'
//! qualities are not kept: their mean is taken to be the alternate reads'.
//!
//! Depth counts the reads that could show the allele: for SNVs those
//! spanning the position with [`crate::pileup::SNV_MARGIN`] bases to spare,
//! for indels with [`crate::pileup::INDEL_MARGIN`] (an indel near a read's
//! end is invisible to the aligner), so an indel's depth is a little lower
//! than an SNV's at the same place.

use crate::align::ReferenceIndex;
use crate::pileup::{Coverage, FxHashMap, IndelAllele, Pileup};

/// Highest reported quality: beyond it, more evidence changes nothing a
/// reader would act on.
pub const MAX_QUALITY: f64 = 999.0;

/// Kind of a called variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantType {
    /// Single-nucleotide variant.
    Snv,
    /// Inserted bases.
    Insertion,
    /// Deleted bases.
    Deletion,
}

impl VariantType {
    /// `"SNV"`, `"INSERTION"` or `"DELETION"`, as the API spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantType::Snv => "SNV",
            VariantType::Insertion => "INSERTION",
            VariantType::Deletion => "DELETION",
        }
    }
}

/// Whether a call passes the confirmation thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantStatus {
    /// Seen, but not (yet) enough depth, frequency or quality.
    Candidate,
    /// Passes every threshold of [`CallerOptions`].
    Confirmed,
}

impl VariantStatus {
    /// `"CANDIDATE"` or `"CONFIRMED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantStatus::Candidate => "CANDIDATE",
            VariantStatus::Confirmed => "CONFIRMED",
        }
    }
}

/// Diploid genotype of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Genotype {
    /// One copy of the alternate allele (`0/1`).
    Heterozygous,
    /// Two copies (`1/1`).
    HomozygousAlternate,
}

impl Genotype {
    /// `"0/1"` or `"1/1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Genotype::Heterozygous => "0/1",
            Genotype::HomozygousAlternate => "1/1",
        }
    }
}

/// Thresholds and priors of the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct CallerOptions {
    /// Confirmed calls need at least this depth.
    pub min_depth: u32,
    /// Confirmed calls need at least this allele frequency. The default,
    /// 0.15, keeps the heterozygous sites that sampling pushes below 0.2 at
    /// 30x (about one in a thousand); quality guards against noise.
    pub min_allele_frequency: f64,
    /// Confirmed calls need at least this quality.
    pub min_quality: f64,
    /// Confirmed calls need at least this many alternate reads.
    pub min_alt_count: u32,
    /// Unconfirmed alleles with fewer alternate reads are not reported at
    /// all (most are sequencing errors).
    pub candidate_min_alt_count: u32,
    /// Unconfirmed alleles with a lower frequency are not reported at all.
    pub candidate_min_allele_frequency: f64,
    /// Prior probability of a heterozygous site (θ).
    pub heterozygosity: f64,
    /// Base qualities are capped here: beyond it, mapping and library errors
    /// dominate what a base quality says.
    pub max_base_quality: u8,
}

impl Default for CallerOptions {
    fn default() -> Self {
        CallerOptions {
            min_depth: 8,
            min_allele_frequency: 0.15,
            min_quality: 20.0,
            min_alt_count: 2,
            candidate_min_alt_count: 3,
            candidate_min_allele_frequency: 0.1,
            heterozygosity: 1e-3,
            max_base_quality: 40,
        }
    }
}

/// One called variant.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantCall {
    /// SNV, insertion or deletion.
    pub variant_type: VariantType,
    /// Contig index in the [`ReferenceIndex`].
    pub contig: usize,
    /// Contig name.
    pub contig_name: String,
    /// 1-based position (VCF `POS`; the anchor base for indels).
    pub position: u32,
    /// VCF `REF`.
    pub reference: String,
    /// VCF `ALT`.
    pub alternate: String,
    /// Reads that could show the allele: those spanning the position, with a
    /// few bases to spare for SNVs and more for indels (see the module docs).
    pub depth: u32,
    /// Reads showing the alternate allele.
    pub alt_count: u32,
    /// `alt_count / depth`.
    pub allele_frequency: f64,
    /// Phred-scaled probability that the site is not variant.
    pub quality: f64,
    /// Candidate or confirmed.
    pub status: VariantStatus,
    /// Likelier diploid genotype.
    pub genotype: Genotype,
}

/// An alternate allele as the pileup keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum AlleleKey {
    Snv { position: u32, base: u8 },
    Indel(IndelAllele),
}

/// Numbers of one allele before it is dressed as a [`VariantCall`].
#[derive(Debug, Clone, Copy)]
struct Assessment {
    depth: u32,
    alt_count: u32,
    allele_frequency: f64,
    quality: f64,
    genotype: Genotype,
    status: VariantStatus,
    /// Passes the candidate thresholds (worth reporting at all).
    reportable: bool,
}

/// `ln(exp(a) + exp(b) + exp(c))` without overflow.
fn log_sum_exp(a: f64, b: f64, c: f64) -> f64 {
    let max = a.max(b).max(c);
    max + ((a - max).exp() + (b - max).exp() + (c - max).exp()).ln()
}

/// Error probability of a Phred score.
fn error_probability(phred: f64) -> f64 {
    10f64.powf(-phred / 10.0)
}

/// Scores one allele with `alt_count` supporting reads (summed quality
/// `alt_quality_sum`) among `depth` informative reads.
fn assess(depth: u32, alt_count: u32, alt_quality_sum: u64, options: &CallerOptions) -> Assessment {
    // A left-normalised indel may sit just before the reads that carry it.
    let depth = depth.max(alt_count);
    let alt = alt_count as f64;
    let other = (depth - alt_count) as f64;
    let cap = options.max_base_quality as f64;
    let alt_quality = (alt_quality_sum as f64 / alt.max(1.0)).min(cap);
    let other_quality = alt_quality.max(1.0);
    let (alt_error, other_error) = (
        error_probability(alt_quality),
        error_probability(other_quality),
    );
    let ln_third = (1.0f64 / 3.0).ln();
    let theta = options.heterozygosity;
    let ln10_over_10 = std::f64::consts::LN_10 / 10.0;

    let hom_ref = (1.0 - 1.5 * theta).ln()
        + alt * (ln_third - ln10_over_10 * alt_quality)
        + other * (1.0 - other_error).ln();
    let het = theta.ln() + (alt + other) * 0.5f64.ln();
    let hom_alt =
        (theta / 2.0).ln() + alt * (1.0 - alt_error).ln() + other * (other_error.ln() + ln_third);
    let total = log_sum_exp(hom_ref, het, hom_alt);
    let quality = (-10.0 / std::f64::consts::LN_10 * (hom_ref - total)).clamp(0.0, MAX_QUALITY);
    let genotype = if hom_alt > het {
        Genotype::HomozygousAlternate
    } else {
        Genotype::Heterozygous
    };
    let allele_frequency = if depth == 0 { 0.0 } else { alt / depth as f64 };
    let confirmed = depth >= options.min_depth
        && allele_frequency >= options.min_allele_frequency
        && quality >= options.min_quality
        && alt_count >= options.min_alt_count;
    let reportable = confirmed
        || (alt_count >= options.candidate_min_alt_count
            && allele_frequency >= options.candidate_min_allele_frequency);
    Assessment {
        depth,
        alt_count,
        allele_frequency,
        quality,
        genotype,
        status: if confirmed {
            VariantStatus::Confirmed
        } else {
            VariantStatus::Candidate
        },
        reportable,
    }
}

/// Calls every allele of `pileup` in global range `range`, passing each with
/// its assessment to `visit`. Alleles with too few reads to be reported
/// (most of them: sequencing errors) are skipped before any work unless
/// `keep_weak` says to keep them.
fn visit_alleles(
    pileup: &Pileup,
    coverage: &Coverage,
    index: &ReferenceIndex,
    options: &CallerOptions,
    range: std::ops::Range<u32>,
    keep_weak: &dyn Fn(&AlleleKey) -> bool,
    visit: &mut dyn FnMut(AlleleKey, Assessment),
) {
    let sequence = index.global_sequence();
    let min_count = options.candidate_min_alt_count.min(options.min_alt_count);
    for (allele, support) in pileup.snv_alleles() {
        if !range.contains(&allele.position) || sequence[allele.position as usize] == b'N' {
            continue;
        }
        let key = AlleleKey::Snv {
            position: allele.position,
            base: allele.base,
        };
        if support.count < min_count && !keep_weak(&key) {
            continue;
        }
        let assessment = assess(
            coverage.depth(allele.position),
            support.count,
            support.quality_sum,
            options,
        );
        visit(key, assessment);
    }
    for (allele, support) in pileup.indel_alleles() {
        let anchor = allele.anchor(index);
        if !range.contains(&anchor) {
            continue;
        }
        let key = AlleleKey::Indel(allele.clone());
        if support.count < min_count && !keep_weak(&key) {
            continue;
        }
        let assessment = assess(
            coverage.indel_depth(anchor),
            support.count,
            support.quality_sum,
            options,
        );
        visit(key, assessment);
    }
}

/// Dresses an assessed allele as a [`VariantCall`].
fn to_call(index: &ReferenceIndex, key: &AlleleKey, assessment: &Assessment) -> VariantCall {
    let (variant_type, contig, position, reference, alternate) = match key {
        AlleleKey::Snv { position, base } => {
            let (contig, local) = index.locate(*position);
            let reference = index.global_sequence()[*position as usize];
            (
                VariantType::Snv,
                contig,
                local + 1,
                vec![reference],
                vec![*base],
            )
        }
        AlleleKey::Indel(allele) => {
            let vcf = allele.to_vcf(index);
            let variant_type = if allele.deleted > 0 {
                VariantType::Deletion
            } else {
                VariantType::Insertion
            };
            (
                variant_type,
                vcf.contig,
                vcf.position,
                vcf.reference,
                vcf.alternate,
            )
        }
    };
    VariantCall {
        variant_type,
        contig,
        contig_name: index.contig_name(contig).to_string(),
        position,
        reference: String::from_utf8_lossy(&reference).into_owned(),
        alternate: String::from_utf8_lossy(&alternate).into_owned(),
        depth: assessment.depth,
        alt_count: assessment.alt_count,
        allele_frequency: assessment.allele_frequency,
        quality: assessment.quality,
        status: assessment.status,
        genotype: assessment.genotype,
    }
}

/// Sorts calls by contig, position, then alleles, as VCF wants them.
fn sort_calls(calls: &mut [VariantCall]) {
    calls.sort_by(|a, b| {
        (a.contig, a.position, &a.reference, &a.alternate).cmp(&(
            b.contig,
            b.position,
            &b.reference,
            &b.alternate,
        ))
    });
}

/// Calls every reportable variant of `pileup` (candidates and confirmed),
/// sorted by contig and position.
pub fn call_variants(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
) -> Vec<VariantCall> {
    call_global_range(pileup, index, options, 0..index.total_length())
}

/// Calls the reportable variants of `contig` whose 0-based position
/// (`POS − 1`) lies in `start..end`, sorted by position.
pub fn call_region(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
    contig: usize,
    start: u32,
    end: u32,
) -> Vec<VariantCall> {
    let end = end.min(index.contig_length(contig));
    let range = index.to_global(contig, start.min(end))..index.to_global(contig, end);
    call_global_range(pileup, index, options, range)
}

/// Calls the reportable variants anchored in a global range.
fn call_global_range(
    pileup: &Pileup,
    index: &ReferenceIndex,
    options: &CallerOptions,
    range: std::ops::Range<u32>,
) -> Vec<VariantCall> {
    let mut calls = Vec::new();
    let coverage = pileup.coverage();
    visit_alleles(
        pileup,
        &coverage,
        index,
        options,
        range,
        &|_| false,
        &mut |key, a| {
            if a.reportable {
                calls.push(to_call(index, &key, &a));
            }
        },
    );
    sort_calls(&mut calls);
    calls
}

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
        let reported = &self.reported;
        visit_alleles(
            pileup,
            &pileup.coverage(),
            index,
            &self.options,
            0..index.total_length(),
            &|key| reported.contains_key(key),
            &mut |key, assessment| {
                let changed = match reported.get(&key) {
                    Some(&status) => status != assessment.status,
                    None => assessment.reportable,
                };
                if changed {
                    calls.push(to_call(index, &key, &assessment));
                    changes.push((key, assessment.status));
                }
            },
        );
        self.reported.extend(changes);
        sort_calls(&mut calls);
        calls
    }
}

/// A small read simulator for the tests of the three detection modules:
/// random reference, diploid sample with SNVs and 1–10 bp indels (het and
/// hom), reads from both strands with substitution errors.
#[cfg(test)]
pub(crate) mod simulation {
    /// splitmix64: tiny, seedable, good enough for test data.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Self {
            Rng(seed ^ 0x5851_f42d_4c95_7f2d)
        }

        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// Uniform in `0..n`.
        pub fn below(&mut self, n: usize) -> usize {
            (((self.next_u64() >> 32) * n as u64) >> 32) as usize
        }

        /// `true` with probability `p`.
        pub fn chance(&mut self, p: f64) -> bool {
            ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
        }

        pub fn base(&mut self) -> u8 {
            b"ACGT"[self.below(4)]
        }

        pub fn bases(&mut self, length: usize) -> Vec<u8> {
            (0..length).map(|_| self.base()).collect()
        }

        /// A base other than `base`.
        pub fn other_base(&mut self, base: u8) -> u8 {
            loop {
                let b = self.base();
                if b != base {
                    return b;
                }
            }
        }
    }

    /// A true variant in VCF form (0-based position on its contig).
    #[derive(Debug, Clone)]
    pub struct TrueVariant {
        pub contig: usize,
        pub position: usize,
        pub reference: Vec<u8>,
        pub alternate: Vec<u8>,
        pub homozygous: bool,
    }

    /// Reference contigs, the two haplotypes of each, and the truth.
    pub struct Sample {
        pub contigs: Vec<(String, Vec<u8>)>,
        pub haplotypes: Vec<[Vec<u8>; 2]>,
        pub truth: Vec<TrueVariant>,
    }

    /// A random reference of `lengths` and a diploid sample with variants at
    /// `rate` per base, `indel_fraction` of them indels of 1–10 bp; a third
    /// homozygous, the rest heterozygous on either haplotype.
    pub fn sample(rng: &mut Rng, lengths: &[usize], rate: f64, indel_fraction: f64) -> Sample {
        let contigs: Vec<(String, Vec<u8>)> = lengths
            .iter()
            .enumerate()
            .map(|(i, &length)| (format!("chr{}", i + 1), rng.bases(length)))
            .collect();
        let mut haplotypes = Vec::new();
        let mut truth = Vec::new();
        for (contig, (_, sequence)) in contigs.iter().enumerate() {
            let mut haps = [Vec::new(), Vec::new()];
            let mut i = 0;
            while i < sequence.len() {
                if i == 0 || i + 12 >= sequence.len() || !rng.chance(rate) {
                    haps[0].push(sequence[i]);
                    haps[1].push(sequence[i]);
                    i += 1;
                    continue;
                }
                let carriers = match rng.below(3) {
                    0 => [true, false],
                    1 => [false, true],
                    _ => [true, true],
                };
                let (reference, alternate) = if rng.chance(indel_fraction) {
                    let length = 1 + rng.below(10);
                    if rng.chance(0.5) {
                        let mut alternate = vec![sequence[i]];
                        alternate.extend(rng.bases(length));
                        (vec![sequence[i]], alternate)
                    } else {
                        (sequence[i..=i + length].to_vec(), vec![sequence[i]])
                    }
                } else {
                    (vec![sequence[i]], vec![rng.other_base(sequence[i])])
                };
                for (hap, &carries) in haps.iter_mut().zip(&carriers) {
                    hap.extend_from_slice(if carries { &alternate } else { &reference });
                }
                truth.push(TrueVariant {
                    contig,
                    position: i,
                    homozygous: carriers == [true, true],
                    reference: reference.clone(),
                    alternate,
                });
                i += reference.len();
            }
            haplotypes.push(haps);
        }
        Sample {
            contigs,
            haplotypes,
            truth,
        }
    }

    /// Reads in the producer's struct-of-arrays form.
    #[derive(Default)]
    pub struct Reads {
        pub bases: Vec<u8>,
        pub qualities: Vec<u8>,
        pub offsets: Vec<u32>,
    }

    /// `count` reads of `length` from random haplotypes and positions, half
    /// reverse-complemented, with substitution errors at `error_rate` and
    /// `N` at `n_rate`; qualities Phred 25–40.
    pub fn reads(
        rng: &mut Rng,
        sample: &Sample,
        count: usize,
        length: usize,
        error_rate: f64,
        n_rate: f64,
    ) -> Reads {
        let total: usize = sample.haplotypes.iter().map(|h| h[0].len()).sum();
        let mut reads = Reads {
            offsets: vec![0],
            ..Reads::default()
        };
        for _ in 0..count {
            let mut pick = rng.below(total);
            let mut contig = 0;
            while pick >= sample.haplotypes[contig][0].len() {
                pick -= sample.haplotypes[contig][0].len();
                contig += 1;
            }
            let haplotype = &sample.haplotypes[contig][rng.below(2)];
            let start = rng.below(haplotype.len() - length + 1);
            let mut read = haplotype[start..start + length].to_vec();
            if rng.chance(0.5) {
                read = crate::align::reverse_complement(&read);
            }
            for base in read.iter_mut() {
                if rng.chance(error_rate) {
                    *base = rng.other_base(*base);
                } else if rng.chance(n_rate) {
                    *base = b'N';
                }
                reads.qualities.push(33 + 25 + rng.below(16) as u8);
            }
            reads.bases.extend_from_slice(&read);
            reads.offsets.push(reads.bases.len() as u32);
        }
        reads
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::simulation::{reads, sample, Rng};
    use super::*;
    use crate::align::{BatchAlignments, IndexOptions, Mapper, MapperOptions, ReadBatch};
    use crate::pileup::{normalise, Evidence, EvidenceOptions};

    #[test]
    fn scores_genotypes_from_read_counts() {
        let options = CallerOptions::default();
        let het = assess(30, 15, 15 * 35, &options);
        assert_eq!(het.genotype, Genotype::Heterozygous);
        assert_eq!(het.status, VariantStatus::Confirmed);
        assert!(het.quality > 100.0);
        let hom = assess(30, 29, 29 * 35, &options);
        assert_eq!(hom.genotype, Genotype::HomozygousAlternate);
        assert_eq!(hom.status, VariantStatus::Confirmed);
        // Two errors in thirty reads: reportable at most, never confirmed.
        let noise = assess(30, 2, 2 * 20, &options);
        assert_eq!(noise.status, VariantStatus::Candidate);
        assert!(noise.quality < options.min_quality);
        // Too shallow to confirm, however clean.
        let shallow = assess(5, 5, 5 * 40, &options);
        assert_eq!(shallow.status, VariantStatus::Candidate);
        assert!(shallow.reportable);
        // More evidence, more confidence; capped.
        assert!(assess(60, 30, 30 * 35, &options).quality >= het.quality);
        assert!(assess(100_000, 50_000, 50_000 * 35, &options).quality <= MAX_QUALITY);
    }

    /// Maps `reads` and piles them up.
    fn pile(index: &ReferenceIndex, reads: &simulation::Reads, pileup: &mut Pileup) {
        let mut mapper = Mapper::new(MapperOptions::default());
        let (mut alignments, mut evidence) = (BatchAlignments::default(), Evidence::new());
        for chunk in reads.offsets.windows(2).collect::<Vec<_>>().chunks(256) {
            let (first, last) = (chunk[0][0] as usize, chunk[chunk.len() - 1][1] as usize);
            let mut offsets: Vec<u32> = chunk.iter().map(|w| w[0] - first as u32).collect();
            offsets.push((last - first) as u32);
            let batch = ReadBatch::new(
                &reads.bases[first..last],
                &reads.qualities[first..last],
                &offsets,
            )
            .unwrap();
            mapper.map_batch(index, &batch, &mut alignments);
            evidence.clear();
            evidence.add_alignments(index, &alignments, &EvidenceOptions::default());
            pileup.add(&evidence);
        }
    }

    /// A 5 kbp contig with a homozygous SNV at 1000 and a heterozygous
    /// 3 bp deletion at 3000, read at `depth`.
    fn small_case(depth: usize) -> (ReferenceIndex, simulation::Reads) {
        let mut rng = Rng::new(42);
        let reference = rng.bases(5_000);
        let mut alt = reference.clone();
        alt[1_000] = rng.other_base(reference[1_000]);
        let mut deleted = alt.clone();
        deleted.drain(3_001..3_004);
        let sample = simulation::Sample {
            contigs: vec![("chr1".into(), reference.clone())],
            haplotypes: vec![[alt, deleted]],
            truth: Vec::new(),
        };
        let index = ReferenceIndex::new([("chr1", reference.as_slice())], &IndexOptions::default())
            .unwrap();
        let count = 5_000 * depth / 150;
        (index, reads(&mut rng, &sample, count, 150, 0.002, 0.0))
    }

    #[test]
    fn calls_snvs_and_indels_with_depth_frequency_and_genotype() {
        let (index, reads) = small_case(40);
        let mut pileup = Pileup::new(&index);
        pile(&index, &reads, &mut pileup);
        let calls: Vec<_> = call_variants(&pileup, &index, &CallerOptions::default())
            .into_iter()
            .filter(|c| c.status == VariantStatus::Confirmed)
            .collect();
        assert_eq!(calls.len(), 2, "{calls:#?}");
        let snv = &calls[0];
        assert_eq!((snv.variant_type, snv.position), (VariantType::Snv, 1_001));
        assert_eq!(snv.genotype, Genotype::HomozygousAlternate);
        assert!(snv.allele_frequency > 0.9 && snv.depth >= 20);
        assert_eq!(snv.contig_name, "chr1");
        let deletion = &calls[1];
        assert_eq!(deletion.variant_type, VariantType::Deletion);
        let sequence = index.contig_sequence(0);
        let (position, reference, alternate) = normalise(
            sequence,
            3_000,
            &sequence[3_000..3_004],
            &sequence[3_000..3_001],
        );
        assert_eq!(deletion.position as usize, position + 1);
        assert_eq!(deletion.reference.as_bytes(), reference);
        assert_eq!(deletion.alternate.as_bytes(), alternate);
        assert_eq!(deletion.genotype, Genotype::Heterozygous);
        assert!((0.3..0.7).contains(&deletion.allele_frequency));
        assert_eq!(deletion.variant_type.as_str(), "DELETION");

        let region = call_region(&pileup, &index, &CallerOptions::default(), 0, 2_000, 4_000);
        assert!(region.iter().all(|c| (2_001..=4_000).contains(&c.position)));
        assert!(region
            .iter()
            .any(|c| c.variant_type == VariantType::Deletion));
    }

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
        let mut caller = IncrementalCaller::new(CallerOptions::default());
        pile(&index, &first, &mut pileup);
        // At 5x the SNV is seen but too shallow to confirm.
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

    /// Precision and recall of confirmed calls against the truth, after
    /// normalising both, for SNVs and indels.
    #[derive(Debug, Default, Clone, Copy)]
    struct Accuracy {
        truth: [usize; 2],
        called: [usize; 2],
        true_positives: [usize; 2],
        /// True positives whose genotype (0/1 or 1/1) is right too.
        genotypes_right: usize,
    }

    impl Accuracy {
        fn add(&mut self, other: &Accuracy) {
            for kind in 0..2 {
                self.truth[kind] += other.truth[kind];
                self.called[kind] += other.called[kind];
                self.true_positives[kind] += other.true_positives[kind];
            }
            self.genotypes_right += other.genotypes_right;
        }

        fn genotype_concordance(&self) -> f64 {
            let tp = self.true_positives[0] + self.true_positives[1];
            self.genotypes_right as f64 / tp.max(1) as f64
        }

        fn precision(&self, kinds: &[usize]) -> f64 {
            let tp: usize = kinds.iter().map(|&k| self.true_positives[k]).sum();
            let called: usize = kinds.iter().map(|&k| self.called[k]).sum();
            tp as f64 / called.max(1) as f64
        }

        fn recall(&self, kinds: &[usize]) -> f64 {
            let tp: usize = kinds.iter().map(|&k| self.true_positives[k]).sum();
            let truth: usize = kinds.iter().map(|&k| self.truth[k]).sum();
            tp as f64 / truth.max(1) as f64
        }

        fn report(&self, label: &str) -> String {
            format!(
                "{label}: SNV precision {:.4} recall {:.4} ({} true) | indel precision {:.4} recall {:.4} ({} true) | overall precision {:.4} recall {:.4} | genotypes {:.4}",
                self.precision(&[0]),
                self.recall(&[0]),
                self.truth[0],
                self.precision(&[1]),
                self.recall(&[1]),
                self.truth[1],
                self.precision(&[0, 1]),
                self.recall(&[0, 1]),
                self.genotype_concordance(),
            )
        }
    }

    /// Simulates, maps, piles up and calls one genome; scores the calls.
    fn accuracy_for_seed(seed: u64) -> Accuracy {
        const SNV: usize = 0;
        const INDEL: usize = 1;
        let mut rng = Rng::new(seed);
        let sample = sample(&mut rng, &[120_000, 80_000], 0.001, 0.15);
        let index = ReferenceIndex::new(
            sample
                .contigs
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_slice())),
            &IndexOptions::default(),
        )
        .unwrap();
        let read_count = 200_000 * 30 / 150;
        let reads = reads(&mut rng, &sample, read_count, 150, 0.002, 0.0002);
        let mut pileup = Pileup::new(&index);
        pile(&index, &reads, &mut pileup);
        let calls = call_variants(&pileup, &index, &CallerOptions::default());

        let key = |contig: usize, position: usize, reference: &[u8], alternate: &[u8]| {
            let normalised = normalise(&sample.contigs[contig].1, position, reference, alternate);
            let kind = if normalised.1.len() == 1 && normalised.2.len() == 1 {
                SNV
            } else {
                INDEL
            };
            (kind, contig, normalised)
        };
        let truth_genotypes: HashMap<_, _> = sample
            .truth
            .iter()
            .map(|v| {
                let genotype = if v.homozygous {
                    Genotype::HomozygousAlternate
                } else {
                    Genotype::Heterozygous
                };
                (
                    key(v.contig, v.position, &v.reference, &v.alternate),
                    genotype,
                )
            })
            .collect();
        let truth: HashSet<_> = truth_genotypes.keys().cloned().collect();
        let called_genotypes: HashMap<_, _> = calls
            .iter()
            .filter(|c| c.status == VariantStatus::Confirmed)
            .map(|c| {
                let position = c.position as usize - 1;
                let allele = key(
                    c.contig,
                    position,
                    c.reference.as_bytes(),
                    c.alternate.as_bytes(),
                );
                (allele, c.genotype)
            })
            .collect();
        let called: HashSet<_> = called_genotypes.keys().cloned().collect();
        let mut accuracy = Accuracy::default();
        for kind in [SNV, INDEL] {
            accuracy.truth[kind] = truth.iter().filter(|k| k.0 == kind).count();
            accuracy.called[kind] = called.iter().filter(|k| k.0 == kind).count();
            accuracy.true_positives[kind] =
                truth.intersection(&called).filter(|k| k.0 == kind).count();
        }
        accuracy.genotypes_right = truth
            .intersection(&called)
            .filter(|k| truth_genotypes[*k] == called_genotypes[*k])
            .count();
        for missed in truth.difference(&called) {
            eprintln!("seed {seed}: missed {missed:?}");
        }
        for false_call in called.difference(&truth) {
            eprintln!("seed {seed}: false call {false_call:?}");
        }
        accuracy
    }

    #[test]
    fn calls_simulated_genomes_with_high_precision_and_recall() {
        let mut pooled = Accuracy::default();
        for seed in [1, 2, 3] {
            let accuracy = accuracy_for_seed(seed);
            eprintln!("{}", accuracy.report(&format!("seed {seed}")));
            assert!(
                accuracy.precision(&[0, 1]) >= 0.99,
                "{}",
                accuracy.report("precision")
            );
            assert!(
                accuracy.recall(&[0, 1]) >= 0.98,
                "{}",
                accuracy.report("recall")
            );
            pooled.add(&accuracy);
        }
        eprintln!("{}", pooled.report("pooled"));
        assert!(
            pooled.genotype_concordance() >= 0.98,
            "{}",
            pooled.report("pooled")
        );
        for kind in [0, 1] {
            assert!(
                pooled.precision(&[kind]) >= 0.99,
                "{}",
                pooled.report("pooled")
            );
            assert!(
                pooled.recall(&[kind]) >= 0.98,
                "{}",
                pooled.report("pooled")
            );
        }
    }

    /// The same check over twenty genomes (`cargo test --release -- --ignored`).
    #[test]
    #[ignore = "slow in debug builds; run with --release --ignored"]
    fn calls_many_simulated_genomes_with_high_precision_and_recall() {
        let mut pooled = Accuracy::default();
        for seed in 1..=20 {
            let accuracy = accuracy_for_seed(seed);
            eprintln!("{}", accuracy.report(&format!("seed {seed}")));
            assert!(
                accuracy.precision(&[0, 1]) >= 0.99,
                "{}",
                accuracy.report("precision")
            );
            assert!(
                accuracy.recall(&[0, 1]) >= 0.98,
                "{}",
                accuracy.report("recall")
            );
            pooled.add(&accuracy);
        }
        eprintln!("{}", pooled.report("pooled"));
        assert!(
            pooled.genotype_concordance() >= 0.98,
            "{}",
            pooled.report("pooled")
        );
        for kind in [0, 1] {
            assert!(
                pooled.precision(&[kind]) >= 0.99,
                "{}",
                pooled.report("pooled")
            );
            assert!(
                pooled.recall(&[kind]) >= 0.98,
                "{}",
                pooled.report("pooled")
            );
        }
    }
}
