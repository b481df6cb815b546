//! What the caller reports: variant calls, their kinds, genotypes and
//! statuses, and the thresholds that decide them.

use super::{CallingMode, StrandCounts, VariantFilter};

/// Highest reported quality: beyond it, more evidence changes nothing a
/// reader would act on.
pub const MAX_QUALITY: f64 = 999.0;

/// Kind of a called variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantType {
    /// Single-nucleotide variant.
    Snv,
    /// Inserted bases (or bases replaced by more).
    Insertion,
    /// Deleted bases (or bases replaced by fewer or as many).
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

/// Copies of each chromosome the sample carries: what genotypes a site may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ploidy {
    /// One copy (bacteria, archaea, phages): a site is reference or alternate.
    Haploid,
    /// Two copies: a site is homozygous reference, heterozygous or homozygous alternate.
    Diploid,
}

/// Genotype of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Genotype {
    /// One copy of the alternate allele in a diploid sample (`0/1`).
    Heterozygous,
    /// Two copies (`1/1`).
    HomozygousAlternate,
    /// The alternate allele of a haploid sample (`1`).
    HaploidAlternate,
}

impl Genotype {
    /// `"0/1"`, `"1/1"` or `"1"`, as VCF's `GT` writes them.
    pub fn as_str(self) -> &'static str {
        match self {
            Genotype::Heterozygous => "0/1",
            Genotype::HomozygousAlternate => "1/1",
            Genotype::HaploidAlternate => "1",
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
    /// Confirmed calls need at least this many alternate reads placed
    /// uniquely (MAPQ above 0). Coin-toss placements weigh in the quality,
    /// but inside a repeat whose copies are identical they put a variant of
    /// one copy into every copy alike: alone they cannot say which.
    pub min_placed_alt_count: u32,
    /// Unconfirmed alleles with fewer alternate reads are not reported at
    /// all (most are sequencing errors).
    pub candidate_min_alt_count: u32,
    /// Unconfirmed alleles with a lower frequency are not reported at all
    /// (germline mode; population mode reports from the minimum frequency).
    pub candidate_min_allele_frequency: f64,
    /// Germline (genotypes) or population (frequencies) calling.
    pub mode: CallingMode,
    /// Prior probability of a variant site (θ): heterozygous when diploid,
    /// alternate when haploid.
    pub heterozygosity: f64,
    /// Haploid or diploid genotypes.
    pub ploidy: Ploidy,
    /// Base qualities are capped here: beyond it, mapping and library errors
    /// dominate what a base quality says.
    pub max_base_quality: u8,
}

impl Default for CallerOptions {
    fn default() -> Self {
        CallerOptions {
            // bcftools has no depth floor: at 30x a few sites have 3–7 reads,
            // and the quality decides whether they say enough.
            min_depth: 3,
            min_allele_frequency: 0.15,
            min_quality: 20.0,
            min_alt_count: 2,
            min_placed_alt_count: 1,
            candidate_min_alt_count: 3,
            candidate_min_allele_frequency: 0.1,
            mode: CallingMode::Germline,
            heterozygosity: 1e-3,
            ploidy: Ploidy::Diploid,
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
    /// Likelier genotype carrying the allele (diploid or haploid, as
    /// [`CallerOptions::ploidy`] says); none in population mode.
    pub genotype: Option<Genotype>,
    /// Mean mapping quality of the reads showing the alternate allele
    /// (VCF `INFO/MQ`): low inside repeats.
    pub mapping_quality: f64,
    /// Fraction of those reads placed by a coin toss, MAPQ 0 (`INFO/MQ0F`).
    pub zero_mapping_quality_fraction: f64,
    /// Reference and alternate reads per strand (`ADF`, `ADR`).
    pub strands: StrandCounts,
    /// Phred-scaled Fisher strand-bias p-value (`INFO/SB`); none when one
    /// strand has no reads.
    pub strand_bias: Option<f64>,
    /// Fraction of the alternate reads showing it near their read's end
    /// (within [`crate::pileup::READ_END_DISTANCE`] bases).
    pub read_end_fraction: f64,
    /// FILTER values it fails (empty: `PASS`).
    pub filters: Vec<VariantFilter>,
}
