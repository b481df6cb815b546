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

use std::collections::VecDeque;
use std::sync::Arc;

use crate::batch::Batch;
use crate::error::{check_rate, HelixError, Result};
use crate::files::Output;
use crate::reference::Reference;
use crate::rng::{threshold, Rng, Stream};

/// Longest simulated indel.
pub const MAX_INDEL: usize = 10;
/// Probability that an indel grows by one more base.
pub const INDEL_EXTEND: f64 = 0.3;
/// Lowest and highest Phred quality written.
pub const MIN_QUALITY: u8 = 2;
/// Highest Phred quality written (Illumina 1.8+ `J`).
pub const MAX_QUALITY: u8 = 41;
/// Attempts to draw a fragment whose reads are at most 10 % `N`.
pub const N_ATTEMPTS: u32 = 8;

/// `base` replaced by one of the three other bases (`choice` in `0..3`); `N`
/// stays `N`.
#[inline]
pub fn substitute(base: u8, choice: u64) -> u8 {
    let others: &[u8; 3] = match base {
        b'A' => b"CGT",
        b'C' => b"AGT",
        b'G' => b"ACT",
        b'T' => b"ACG",
        _ => return base,
    };
    others[choice as usize]
}

const fn complement_table() -> [u8; 256] {
    let mut table = [b'N'; 256];
    table[b'A' as usize] = b'T';
    table[b'C' as usize] = b'G';
    table[b'G' as usize] = b'C';
    table[b'T' as usize] = b'A';
    table
}

/// Complement of upper-case bases; anything else becomes `N`.
pub static COMPLEMENT: [u8; 256] = complement_table();

/// Complement of one of `ACGTN` without a table (so loops over it vectorise):
/// `A`/`T` differ by `0x15`, `C`/`G` by `0x04`; bit 1 is clear only for `A`
/// and `T`, bit 3 is set only for `N`.
#[inline(always)]
fn complement_acgtn(c: u8) -> u8 {
    let at = ((!c) >> 1) & 1;
    let cg = (c >> 1) & !(c >> 3) & 1;
    c ^ (0u8.wrapping_sub(at) & 0x15) ^ (0u8.wrapping_sub(cg) & 0x04)
}

/// Writes the reverse complement of `bases` (upper-case `ACGTN`) into `out`.
pub fn reverse_complement(bases: &[u8], out: &mut [u8]) {
    let n = bases.len();
    let out = &mut out[..n];
    for i in 0..n {
        out[i] = complement_acgtn(bases[n - 1 - i]);
    }
}

/// Which haplotypes carry a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Genotype {
    /// Both haplotypes: `1|1`.
    Homozygous,
    /// First haplotype only: `1|0`.
    First,
    /// Second haplotype only: `0|1`.
    Second,
}

impl Genotype {
    /// Phased VCF genotype.
    pub fn as_vcf(self) -> &'static str {
        match self {
            Genotype::Homozygous => "1|1",
            Genotype::First => "1|0",
            Genotype::Second => "0|1",
        }
    }

    /// Whether haplotype `h` (0 or 1) carries the alternate allele.
    pub fn carries(self, h: usize) -> bool {
        match self {
            Genotype::Homozygous => true,
            Genotype::First => h == 0,
            Genotype::Second => h == 1,
        }
    }
}

/// Kind of a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantKind {
    /// Single-nucleotide variant.
    Snv,
    /// Insertion.
    Insertion,
    /// Deletion.
    Deletion,
}

impl VariantKind {
    /// Name as the API spells it: `SNV`, `INSERTION`, `DELETION`.
    pub fn as_str(self) -> &'static str {
        match self {
            VariantKind::Snv => "SNV",
            VariantKind::Insertion => "INSERTION",
            VariantKind::Deletion => "DELETION",
        }
    }
}

/// One injected mutation, in VCF convention (indels carry the anchor base).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruthVariant {
    /// Index into [`Sample::contigs`].
    pub contig: usize,
    /// 1-based position of the first reference base.
    pub position: u64,
    /// Reference allele.
    pub reference: Vec<u8>,
    /// Alternate allele.
    pub alternate: Vec<u8>,
    /// Which haplotypes carry it.
    pub genotype: Genotype,
}

impl TruthVariant {
    /// SNV, insertion or deletion.
    pub fn kind(&self) -> VariantKind {
        match self.reference.len().cmp(&self.alternate.len()) {
            std::cmp::Ordering::Equal => VariantKind::Snv,
            std::cmp::Ordering::Less => VariantKind::Insertion,
            std::cmp::Ordering::Greater => VariantKind::Deletion,
        }
    }
}

/// One contig of the diploid sample.
#[derive(Clone, Debug)]
pub struct SampleContig {
    /// Contig name, as in the reference.
    pub name: String,
    /// Length of the reference contig.
    pub reference_length: u64,
    /// The two haplotype sequences.
    pub haplotypes: [Vec<u8>; 2],
    /// Whether the contig has any `N`.
    pub has_n: bool,
}

/// How to mutate a reference.
#[derive(Clone, Copy, Debug)]
pub struct MutationOptions {
    /// Probability that a reference position starts a mutation.
    pub mutation_rate: f64,
    /// Fraction of mutations that are indels.
    pub indel_fraction: f64,
}

impl Default for MutationOptions {
    fn default() -> Self {
        Self {
            mutation_rate: 0.001,
            indel_fraction: 0.15,
        }
    }
}

/// A diploid sample made from a reference, with its truth set.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Contigs in reference order.
    pub contigs: Vec<SampleContig>,
    /// Injected variants, sorted by contig and position.
    pub truth: Vec<TruthVariant>,
}

struct Edit {
    start: usize,
    reference_length: usize,
    genotype: Genotype,
}

impl Sample {
    /// Injects SNVs and indels into both haplotypes of `reference`.
    pub fn mutate(reference: &Reference, options: &MutationOptions, seed: u64) -> Result<Self> {
        check_rate("mutationRate", options.mutation_rate)?;
        check_rate("indelFraction", options.indel_fraction)?;
        let mutation = threshold(options.mutation_rate);
        let indel = threshold(options.indel_fraction);
        let extend = threshold(INDEL_EXTEND);
        let mut rng = Rng::new(seed, Stream::Mutations);
        let mut truth = Vec::new();
        let mut contigs = Vec::with_capacity(reference.contigs.len());
        for (index, contig) in reference.contigs.iter().enumerate() {
            let seq = &contig.sequence;
            let len = seq.len();
            let first_variant = truth.len();
            let mut edits = Vec::new();
            let mut i = 0usize;
            while i < len {
                let position = i;
                i += 1;
                if u64::from(rng.next_u32()) >= mutation {
                    continue;
                }
                let base = seq[position];
                if base == b'N' {
                    continue;
                }
                let genotype = match rng.below(3) {
                    0 => Genotype::Homozygous,
                    1 => Genotype::First,
                    _ => Genotype::Second,
                };
                let (reference_allele, alternate) = if u64::from(rng.next_u32()) < indel {
                    let deletion = rng.bit() == 1;
                    let mut length = 1;
                    while length < MAX_INDEL && u64::from(rng.next_u32()) < extend {
                        length += 1;
                    }
                    if deletion {
                        let end = position + length;
                        if end >= len || seq[position + 1..=end].contains(&b'N') || seq[end] == base
                        {
                            continue;
                        }
                        i = end + 1;
                        (seq[position..=end].to_vec(), vec![base])
                    } else {
                        let mut alternate = Vec::with_capacity(length + 1);
                        alternate.push(base);
                        for _ in 0..length {
                            alternate.push(b"ACGT"[(rng.next_u32() >> 30) as usize]);
                        }
                        if alternate[length] == base {
                            alternate[length] = substitute(base, rng.below(3));
                        }
                        (vec![base], alternate)
                    }
                } else {
                    (vec![base], vec![substitute(base, rng.below(3))])
                };
                edits.push(Edit {
                    start: position,
                    reference_length: reference_allele.len(),
                    genotype,
                });
                truth.push(TruthVariant {
                    contig: index,
                    position: position as u64 + 1,
                    reference: reference_allele,
                    alternate,
                    genotype,
                });
            }
            let variants = &truth[first_variant..];
            let haplotypes = [0, 1].map(|h| {
                let mut hap = huge_page_vec(len + len / 100 + MAX_INDEL);
                let mut cursor = 0;
                for (edit, variant) in edits.iter().zip(variants) {
                    if !edit.genotype.carries(h) {
                        continue;
                    }
                    hap.extend_from_slice(&seq[cursor..edit.start]);
                    hap.extend_from_slice(&variant.alternate);
                    cursor = edit.start + edit.reference_length;
                }
                hap.extend_from_slice(&seq[cursor..]);
                hap
            });
            contigs.push(SampleContig {
                name: contig.name.clone(),
                reference_length: len as u64,
                haplotypes,
                has_n: seq.contains(&b'N'),
            });
        }
        Ok(Self { contigs, truth })
    }

    /// Writes the truth set as VCF 4.3 (one sample named `sample`, phased
    /// genotypes, `INFO/TYPE` = `SNV`, `INSERTION` or `DELETION`).
    pub fn write_truth_vcf(&self, out: &mut Output) -> Result<()> {
        let mut text = Vec::with_capacity(1 << 16);
        text.extend_from_slice(b"##fileformat=VCFv4.3\n##source=helix-simulate\n");
        for contig in &self.contigs {
            text.extend_from_slice(
                format!(
                    "##contig=<ID={},length={}>\n",
                    contig.name, contig.reference_length
                )
                .as_bytes(),
            );
        }
        text.extend_from_slice(
            b"##INFO=<ID=TYPE,Number=1,Type=String,Description=\"Variant type: SNV, INSERTION or DELETION\">\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tsample\n",
        );
        for variant in &self.truth {
            text.extend_from_slice(self.contigs[variant.contig].name.as_bytes());
            text.push(b'\t');
            push_decimal(&mut text, variant.position);
            text.extend_from_slice(b"\t.\t");
            text.extend_from_slice(&variant.reference);
            text.push(b'\t');
            text.extend_from_slice(&variant.alternate);
            text.extend_from_slice(b"\t.\tPASS\tTYPE=");
            text.extend_from_slice(variant.kind().as_str().as_bytes());
            text.extend_from_slice(b"\tGT\t");
            text.extend_from_slice(variant.genotype.as_vcf().as_bytes());
            text.push(b'\n');
            if text.len() > 1 << 16 {
                out.write_all(&text)?;
                text.clear();
            }
        }
        out.write_all(&text)
    }

    /// Total reference length.
    pub fn reference_length(&self) -> u64 {
        self.contigs.iter().map(|c| c.reference_length).sum()
    }
}

/// An empty vector with room for `capacity` bytes, backed by transparent huge
/// pages where the system offers them: reads are sampled at random positions,
/// and 4 KiB pages would make nearly every read a TLB miss.
fn huge_page_vec(capacity: usize) -> Vec<u8> {
    let vec = Vec::with_capacity(capacity);
    #[cfg(target_os = "linux")]
    if capacity >= 1 << 21 {
        // SAFETY: advice on memory this vector owns; it never changes contents.
        unsafe {
            let page = 4096usize;
            let start = (vec.as_ptr() as usize).div_ceil(page) * page;
            let end = (vec.as_ptr() as usize + capacity) / page * page;
            if end > start {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
    vec
}

/// Appends `value` in decimal.
#[inline]
pub fn push_decimal(text: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut n = digits.len();
    loop {
        n -= 1;
        digits[n] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    text.extend_from_slice(&digits[n..]);
}

/// How to sample reads.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Bases per read.
    pub read_length: usize,
    /// Mate pairs instead of single reads.
    pub paired: bool,
    /// Mean fragment (insert) length of pairs.
    pub insert_mean: u32,
    /// Spread of the fragment length (standard deviation).
    pub insert_sd: u32,
    /// Mean substitution error rate per base.
    pub error_rate: f64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            read_length: 150,
            paired: false,
            insert_mean: 500,
            insert_sd: 50,
            error_rate: 0.001,
        }
    }
}

/// Per-cycle error rates, the tables that sample errors, and the qualities.
#[derive(Clone, Debug)]
pub struct ErrorModel {
    /// `count[k]`: `2^32 ×` probability of at most `k` errors in a read.
    pub count_thresholds: Vec<u64>,
    /// `cycle[i]`: `2^32 ×` probability that an error falls at or before cycle `i`.
    pub cycle_thresholds: Vec<u64>,
    /// Phred+33 quality of each cycle.
    pub qualities: Vec<u8>,
}

/// `10^(-0.05)`: Phred thresholds are `10^(-(q + 0.5) / 10)`.
pub const PHRED_FIRST_THRESHOLD: f64 = 0.891_250_938_133_745_6;
/// `10^(-0.1)`: ratio between successive Phred thresholds.
pub const PHRED_STEP: f64 = 0.794_328_234_724_281_5;

/// Phred quality of error probability `p` (`round(-10 log10 p)` without
/// transcendental functions), clamped to `MIN_QUALITY..=MAX_QUALITY`.
pub fn phred(p: f64) -> u8 {
    let mut t = PHRED_FIRST_THRESHOLD;
    let mut q = 0u8;
    while q < MAX_QUALITY && p < t {
        q += 1;
        t *= PHRED_STEP;
    }
    q.max(MIN_QUALITY)
}

impl ErrorModel {
    /// The model for reads of `length` bases at mean error rate `rate`.
    pub fn new(length: usize, rate: f64) -> Self {
        let rates: Vec<f64> = (0..length)
            .map(|i| {
                let weight = if length == 1 {
                    1.0
                } else {
                    0.5 + i as f64 / (length - 1) as f64
                };
                (rate * weight).min(1.0)
            })
            .collect();
        // Poisson-binomial distribution of the number of errors.
        let mut pmf = vec![0.0f64; length + 1];
        pmf[0] = 1.0;
        for (i, &p) in rates.iter().enumerate() {
            let q = 1.0 - p;
            for k in (1..=i + 1).rev() {
                pmf[k] = pmf[k] * q + pmf[k - 1] * p;
            }
            pmf[0] *= q;
        }
        let mut cumulative = 0.0;
        let mut count_thresholds: Vec<u64> = pmf
            .iter()
            .map(|&p| {
                cumulative += p;
                threshold(cumulative)
            })
            .collect();
        count_thresholds[length] = 1 << 32;
        let total: f64 = rates.iter().sum();
        let mut cumulative = 0.0;
        let mut cycle_thresholds: Vec<u64> = rates
            .iter()
            .map(|&p| {
                cumulative += p;
                if total > 0.0 {
                    threshold(cumulative / total)
                } else {
                    1 << 32
                }
            })
            .collect();
        if let Some(last) = cycle_thresholds.last_mut() {
            *last = 1 << 32;
        }
        let qualities = rates.iter().map(|&p| phred(p) + 33).collect();
        Self {
            count_thresholds,
            cycle_thresholds,
            qualities,
        }
    }
}

/// Fragments whose origin is drawn (and bases prefetched) before they are
/// copied: hides memory latency on large references.
const LOOKAHEAD: usize = 16;

/// Where a fragment comes from.
#[derive(Clone, Copy, Debug)]
struct Fragment {
    contig: usize,
    haplotype: usize,
    start: usize,
    length: usize,
    reverse: bool,
}

/// Hints the CPU to load `bytes` into cache.
#[inline(always)]
fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for line in bytes.chunks(64) {
        // SAFETY: prefetching is a hint and never faults.
        #[allow(unused_unsafe)]
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr().cast(),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bytes;
}

/// Samples reads from a [`Sample`], deterministically from a seed.
#[derive(Clone, Debug)]
pub struct ReadSimulator {
    sample: Arc<Sample>,
    options: ReadOptions,
    rng: Rng,
    errors: Rng,
    model: ErrorModel,
    ahead: VecDeque<Fragment>,
    contig_ends: Vec<u64>,
    total_length: u64,
    fragments: u64,
    batches: u64,
}

impl ReadSimulator {
    /// A simulator over `sample`; fails when no haplotype is as long as a read.
    pub fn new(sample: Arc<Sample>, options: ReadOptions, seed: u64) -> Result<Self> {
        check_rate("errorRate", options.error_rate)?;
        if options.read_length == 0 {
            return Err(HelixError::option("readLength", "must be at least 1"));
        }
        if options.read_length > u32::MAX as usize / 4 {
            return Err(HelixError::option(
                "readLength",
                format!("{} is too long", options.read_length),
            ));
        }
        if options.paired && options.insert_mean == 0 {
            return Err(HelixError::option("insertMean", "must be at least 1"));
        }
        let total_length = sample.reference_length();
        if total_length == 0 {
            return Err(HelixError::option("reference", "has no bases"));
        }
        if total_length > 1 << 32 {
            return Err(HelixError::option(
                "reference",
                format!("has {total_length} bases; the simulator supports up to 2^32"),
            ));
        }
        let longest = sample
            .contigs
            .iter()
            .flat_map(|c| c.haplotypes.iter().map(|h| h.len()))
            .max()
            .unwrap_or(0);
        if longest < options.read_length {
            let contig = sample
                .contigs
                .iter()
                .max_by_key(|c| c.reference_length)
                .expect("a sample has contigs");
            return Err(HelixError::option(
                "readLength",
                format!(
                    "{} is longer than the reference (longest sequence '{}' has {} bases)",
                    options.read_length, contig.name, contig.reference_length
                ),
            ));
        }
        let mut end = 0;
        let contig_ends = sample
            .contigs
            .iter()
            .map(|c| {
                end += c.reference_length;
                end
            })
            .collect();
        Ok(Self {
            model: ErrorModel::new(options.read_length, options.error_rate),
            sample,
            options,
            rng: Rng::new(seed, Stream::Reads),
            errors: Rng::new(seed, Stream::Errors),
            ahead: VecDeque::with_capacity(LOOKAHEAD),
            contig_ends,
            total_length,
            fragments: 0,
            batches: 0,
        })
    }

    /// Fragments (reads, or pairs) simulated so far.
    pub fn fragments(&self) -> u64 {
        self.fragments
    }

    /// The options in force.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// The sample reads come from.
    pub fn sample(&self) -> &Arc<Sample> {
        &self.sample
    }

    /// Simulates `fragments` reads (or pairs) into a new batch.
    pub fn next_batch(&mut self, fragments: usize) -> Batch {
        let reads = if self.options.paired {
            fragments * 2
        } else {
            fragments
        };
        let mut batch = Batch::with_capacity(reads, self.options.read_length);
        self.fill_batch(&mut batch, fragments);
        batch
    }

    /// Simulates `fragments` reads (or pairs) into `batch`, replacing its
    /// reads but keeping its memory.
    pub fn fill_batch(&mut self, batch: &mut Batch, fragments: usize) {
        let reads = if self.options.paired {
            fragments * 2
        } else {
            fragments
        };
        batch.clear();
        batch.bases.reserve(reads * self.options.read_length);
        batch.qualities.reserve(reads * self.options.read_length);
        batch.offsets.reserve(reads);
        batch.name_offsets.reserve(reads);
        batch.sequence = self.batches;
        batch.first_read = if self.options.paired {
            self.fragments * 2
        } else {
            self.fragments
        };
        batch.paired = self.options.paired;
        self.batches += 1;
        for _ in 0..fragments {
            self.push_fragment(batch);
        }
    }

    /// Draws the origin of the next fragment from the reads stream.
    fn draw_fragment(&mut self) -> Fragment {
        let read_length = self.options.read_length;
        let sample = &self.sample;
        let mut attempts = 0;
        loop {
            let g = self.rng.below(self.total_length);
            let contig = self.contig_ends.partition_point(|&end| end <= g);
            let h = self.rng.bit() as usize;
            let hap = &sample.contigs[contig].haplotypes[h];
            if hap.len() < read_length {
                continue;
            }
            let length = if self.options.paired {
                let sd = u64::from(self.options.insert_sd);
                let spread = 2 * sd + 1;
                let sum = self.rng.below(spread) + self.rng.below(spread) + self.rng.below(spread);
                let insert = i64::from(self.options.insert_mean) - 3 * sd as i64 + sum as i64;
                (insert.max(read_length as i64) as usize).min(hap.len())
            } else {
                read_length
            };
            let start = self.rng.below((hap.len() - length + 1) as u64) as usize;
            let reverse = self.rng.bit() == 1;
            if sample.contigs[contig].has_n && attempts < N_ATTEMPTS {
                let too_many_n = |from: usize| {
                    hap[from..from + read_length]
                        .iter()
                        .filter(|&&b| b == b'N')
                        .count()
                        * 10
                        > read_length
                };
                if too_many_n(start)
                    || (self.options.paired && too_many_n(start + length - read_length))
                {
                    attempts += 1;
                    continue;
                }
            }
            let fragment = Fragment {
                contig,
                haplotype: h,
                start,
                length,
                reverse,
            };
            // Ask for the bases now; they are copied LOOKAHEAD fragments later.
            prefetch(&hap[start..start + read_length]);
            if self.options.paired {
                prefetch(&hap[start + length - read_length..start + length]);
            }
            return fragment;
        }
    }

    fn push_fragment(&mut self, batch: &mut Batch) {
        while self.ahead.len() < LOOKAHEAD {
            let fragment = self.draw_fragment();
            self.ahead.push_back(fragment);
        }
        let Fragment {
            contig,
            haplotype: h,
            start,
            length: fragment,
            reverse,
        } = self.ahead.pop_front().expect("fragments were drawn ahead");
        let read_length = self.options.read_length;
        let sample = Arc::clone(&self.sample);
        let contig = &sample.contigs[contig];
        let hap = &contig.haplotypes[h];
        let end = start + fragment;
        // (window start, reverse-complemented) of each read, in mate order.
        let windows: [(usize, bool); 2] = if !self.options.paired {
            [(start, reverse), (0, false)]
        } else if reverse {
            [(end - read_length, true), (start, false)]
        } else {
            [(start, false), (end - read_length, true)]
        };
        let reads = if self.options.paired { 2 } else { 1 };
        for (mate, &(from, rc)) in windows[..reads].iter().enumerate() {
            let offset = batch.bases.len();
            let window = &hap[from..from + read_length];
            if rc {
                batch.bases.resize(offset + read_length, 0);
                reverse_complement(window, &mut batch.bases[offset..]);
            } else {
                batch.bases.extend_from_slice(window);
            }
            self.add_errors(&mut batch.bases[offset..]);
            batch.qualities.extend_from_slice(&self.model.qualities);
            let names = &mut batch.names;
            push_decimal(names, self.fragments);
            names.extend_from_slice(&[b':', b'1' + h as u8, b':']);
            push_decimal(names, start as u64 + 1);
            names.push(b'-');
            push_decimal(names, end as u64);
            names.extend_from_slice(if reverse { b":-:" } else { b":+:" });
            names.extend_from_slice(contig.name.as_bytes());
            if self.options.paired {
                names.extend_from_slice(if mate == 0 { b"/1" } else { b"/2" });
            }
            batch.end_read();
        }
        self.fragments += 1;
    }

    #[inline]
    fn add_errors(&mut self, read: &mut [u8]) {
        let u = u64::from(self.errors.next_u32());
        let counts = &self.model.count_thresholds;
        let mut errors = 0;
        while u >= counts[errors] {
            errors += 1;
        }
        for _ in 0..errors {
            let u = u64::from(self.errors.next_u32());
            let cycle = self.model.cycle_thresholds.partition_point(|&t| t <= u);
            let choice = self.errors.below(3);
            read[cycle] = substitute(read[cycle], choice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(len: u64) -> Reference {
        Reference::random(len, 11, "chrT").unwrap()
    }

    fn mutate(r: &Reference, rate: f64, indels: f64) -> Sample {
        Sample::mutate(
            r,
            &MutationOptions {
                mutation_rate: rate,
                indel_fraction: indels,
            },
            5,
        )
        .unwrap()
    }

    /// Applies the truth set to the reference, independently of `mutate`.
    fn apply_truth(r: &Reference, sample: &Sample, h: usize) -> Vec<u8> {
        let seq = &r.contigs[0].sequence;
        let mut out = Vec::new();
        let mut cursor = 0usize;
        for v in sample.truth.iter().filter(|v| v.genotype.carries(h)) {
            let p = v.position as usize - 1;
            assert_eq!(&seq[p..p + v.reference.len()], &v.reference[..]);
            out.extend_from_slice(&seq[cursor..p]);
            out.extend_from_slice(&v.alternate);
            cursor = p + v.reference.len();
        }
        out.extend_from_slice(&seq[cursor..]);
        out
    }

    #[test]
    fn reverse_complement_matches_the_table() {
        let bases = b"ACGTNNACGTTTGCA";
        let mut out = [0u8; 15];
        reverse_complement(bases, &mut out);
        let expected: Vec<u8> = bases
            .iter()
            .rev()
            .map(|&b| COMPLEMENT[b as usize])
            .collect();
        assert_eq!(&out[..], &expected[..]);
        for c in *b"ACGTN" {
            assert_eq!(complement_acgtn(c), COMPLEMENT[c as usize]);
        }
    }

    #[test]
    fn phred_matches_the_logarithm() {
        assert_eq!(phred(0.001), 30);
        assert_eq!(phred(0.01), 20);
        assert_eq!(phred(0.0005), 33);
        assert_eq!(phred(0.0), MAX_QUALITY);
        assert_eq!(phred(1.0), MIN_QUALITY);
        for q in 2..41u8 {
            let p = 10f64.powf(-f64::from(q) / 10.0);
            assert_eq!(phred(p), q);
        }
    }

    #[test]
    fn error_model_tables_are_monotone_and_complete() {
        let model = ErrorModel::new(150, 0.01);
        assert_eq!(model.count_thresholds.len(), 151);
        assert_eq!(*model.count_thresholds.last().unwrap(), 1 << 32);
        assert!(model.count_thresholds.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*model.cycle_thresholds.last().unwrap(), 1 << 32);
        assert_eq!(model.qualities[0], 33 + 23);
        assert_eq!(model.qualities[149], 33 + 18);
        // P(no error) = prod(1 - p_i) ≈ e^-1.5
        let p0 = model.count_thresholds[0] as f64 / 4294967296.0;
        assert!((p0 - 0.2215).abs() < 0.01, "{p0}");
    }

    #[test]
    fn truth_describes_the_haplotypes() {
        let r = reference(200_000);
        let sample = mutate(&r, 0.01, 0.3);
        assert!(sample.truth.len() > 1000);
        for h in 0..2 {
            assert_eq!(sample.contigs[0].haplotypes[h], apply_truth(&r, &sample, h));
        }
        let kinds = |k| sample.truth.iter().filter(|v| v.kind() == k).count();
        assert!(kinds(VariantKind::Snv) > kinds(VariantKind::Insertion));
        assert!(kinds(VariantKind::Insertion) > 100 && kinds(VariantKind::Deletion) > 100);
        let homozygous = sample
            .truth
            .iter()
            .filter(|v| v.genotype == Genotype::Homozygous)
            .count();
        assert!(homozygous * 4 > sample.truth.len() && homozygous * 2 < sample.truth.len());
        for v in &sample.truth {
            assert!(v.reference.len() <= MAX_INDEL + 1 && v.alternate.len() <= MAX_INDEL + 1);
            if v.kind() != VariantKind::Snv {
                assert_eq!(
                    v.reference[0], v.alternate[0],
                    "indels carry the anchor base"
                );
            }
            let seq = &r.contigs[0].sequence;
            let p = v.position as usize - 1;
            match v.kind() {
                VariantKind::Snv => assert_ne!(v.reference, v.alternate),
                // Left-normalised: the indel cannot shift one base left.
                VariantKind::Insertion => assert_ne!(v.alternate.last(), Some(&seq[p])),
                VariantKind::Deletion => assert_ne!(v.reference.last(), Some(&seq[p])),
            }
        }
        assert!(sample
            .truth
            .windows(2)
            .all(|w| w[0].position < w[1].position));
    }

    #[test]
    fn no_mutations_on_n_and_none_at_rate_zero() {
        let r =
            Reference::parse_fasta(&b">n\nNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN\n"[..], "n.fa").unwrap();
        assert!(mutate(&r, 1.0, 0.5).truth.is_empty());
        let r = reference(10_000);
        let sample = mutate(&r, 0.0, 0.5);
        assert!(sample.truth.is_empty());
        assert_eq!(sample.contigs[0].haplotypes[0], r.contigs[0].sequence);
    }

    fn simulator(sample: Sample, options: ReadOptions) -> ReadSimulator {
        ReadSimulator::new(Arc::new(sample), options, 9).unwrap()
    }

    #[test]
    fn reads_match_their_origin_without_errors() {
        let r = reference(50_000);
        let sample = mutate(&r, 0.005, 0.2);
        for paired in [false, true] {
            let options = ReadOptions {
                read_length: 100,
                paired,
                error_rate: 0.0,
                ..ReadOptions::default()
            };
            let mut sim = simulator(sample.clone(), options);
            let batch = sim.next_batch(500);
            assert_eq!(batch.len(), if paired { 1000 } else { 500 });
            for i in 0..batch.len() {
                let read = batch.read(i);
                let name = std::str::from_utf8(read.name).unwrap();
                let fields: Vec<&str> = name.split(':').collect();
                let h: usize = fields[1].parse::<usize>().unwrap() - 1;
                let (s, e) = fields[2].split_once('-').unwrap();
                let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
                let hap = &sample.contigs[0].haplotypes[h];
                let mate2 = name.ends_with("/2");
                let forward_first = fields[3] == "+";
                let from_start = if paired { mate2 != forward_first } else { true };
                let rc = if paired { !from_start } else { !forward_first };
                let from = if from_start { s - 1 } else { e - 100 };
                let mut expected = hap[from..from + 100].to_vec();
                if rc {
                    expected = expected
                        .iter()
                        .rev()
                        .map(|&b| COMPLEMENT[b as usize])
                        .collect();
                }
                assert_eq!(read.bases, &expected[..], "{name}");
            }
        }
    }

    #[test]
    fn errors_follow_the_rate_and_qualities_reflect_it() {
        let r = reference(20_000);
        let sample = mutate(&r, 0.0, 0.0);
        let options = ReadOptions {
            read_length: 150,
            error_rate: 0.02,
            ..ReadOptions::default()
        };
        let mut sim = simulator(sample.clone(), options);
        let batch = sim.next_batch(4000);
        let hap = &sample.contigs[0].haplotypes[0];
        let mut mismatches = 0usize;
        for i in 0..batch.len() {
            let read = batch.read(i);
            let name = std::str::from_utf8(read.name).unwrap();
            let fields: Vec<&str> = name.split(':').collect();
            let s: usize = fields[2].split_once('-').unwrap().0.parse().unwrap();
            let mut expected = hap[s - 1..s + 149].to_vec();
            if fields[3] == "-" {
                expected = expected
                    .iter()
                    .rev()
                    .map(|&b| COMPLEMENT[b as usize])
                    .collect();
            }
            mismatches += expected
                .iter()
                .zip(read.bases)
                .filter(|(a, b)| a != b)
                .count();
        }
        let rate = mismatches as f64 / (4000.0 * 150.0);
        assert!((0.018..0.022).contains(&rate), "observed error rate {rate}");
        let mean_quality: f64 = batch
            .read(0)
            .qualities
            .iter()
            .map(|&q| f64::from(q - 33))
            .sum::<f64>()
            / 150.0;
        assert!((15.0..19.0).contains(&mean_quality), "{mean_quality}");
    }

    #[test]
    fn batches_do_not_change_the_stream() {
        let r = reference(10_000);
        let sample = mutate(&r, 0.001, 0.15);
        let options = ReadOptions::default();
        let mut a = simulator(sample.clone(), options);
        let mut b = simulator(sample, options);
        let whole = a.next_batch(100);
        let mut parts = Vec::new();
        for n in [30, 1, 69] {
            let part = b.next_batch(n);
            parts.extend((0..part.len()).map(|i| {
                let r = part.read(i);
                (r.name.to_vec(), r.bases.to_vec(), r.qualities.to_vec())
            }));
        }
        let all: Vec<_> = (0..whole.len())
            .map(|i| {
                let r = whole.read(i);
                (r.name.to_vec(), r.bases.to_vec(), r.qualities.to_vec())
            })
            .collect();
        assert_eq!(all, parts);
    }

    #[test]
    fn read_length_longer_than_the_reference_is_refused() {
        let r = reference(100);
        let err = ReadSimulator::new(Arc::new(mutate(&r, 0.0, 0.0)), ReadOptions::default(), 1)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("readLength: 150 is longer than the reference"),
            "{err}"
        );
    }

    #[test]
    fn reads_avoid_n_runs() {
        let mut text = String::from(">c\n");
        text.push_str(&"N".repeat(5000));
        text.push_str(&"ACGT".repeat(250));
        let r = Reference::parse_fasta(text.as_bytes(), "n.fa").unwrap();
        let mut sim = simulator(
            mutate(&r, 0.0, 0.0),
            ReadOptions {
                read_length: 50,
                error_rate: 0.0,
                ..ReadOptions::default()
            },
        );
        let batch = sim.next_batch(200);
        let n_reads = (0..batch.len())
            .filter(|&i| batch.read(i).bases.contains(&b'N'))
            .count();
        // 5/6 of starts land in N; after 8 attempts (5/6)^9 ≈ 19 % still do.
        assert!(n_reads < 80, "{n_reads}");
    }
}
