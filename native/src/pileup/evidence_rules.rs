//! Which alignments, bases and indels count as evidence, and how much each
//! observation weighs.

/// A mismatch in a read's last bases is often no substitution but the start
/// of an indel the read ends in (too short a stretch to align as a gap), so
/// SNV support and depth count a read only at positions at least this far
/// inside its aligned span.
pub const SNV_MARGIN: u32 = 3;

/// Deletions this long or longer (structural variants, by the usual 50-base
/// convention; past the mapper's band only a split read shows one) are no
/// coverage: a read joined across one covers its two pieces, not the deleted
/// bases, so the depth inside a deleted stretch counts only the reads that
/// still show it, and a deletion's allele frequency is not diluted by its
/// own reads.
pub const SPLIT_DELETION: u32 = 50;

/// An aligner cannot tell an indel within a few bases of a read's end from a
/// mismatch or a clipped end, so a read is evidence for or against an indel
/// only when the indel's anchor lies far enough inside its aligned span (see
/// [`indel_margin`]). Both the indel's support and its depth follow this
/// rule, which keeps allele frequencies unbiased (a homozygous indel reads as
/// ~100 %). This is the margin of reads of 72 bases and more.
pub const INDEL_MARGIN: u32 = 12;

/// The margin of the shortest spans: a 1–2 bp gap six bases from the end
/// still scores above clipping or mismatching those bases.
const SHORT_INDEL_MARGIN: u32 = 6;

/// Bases an indel's anchor must lie inside an aligned span of `span` bases:
/// a sixth of it, from [`SHORT_INDEL_MARGIN`] to [`INDEL_MARGIN`]. A fixed 12
/// would leave a 36 bp read only its middle 12 bases, a third of the depth,
/// too little to call indels from such reads at all.
pub fn indel_margin(span: u32) -> u32 {
    (span / 6).clamp(SHORT_INDEL_MARGIN, INDEL_MARGIN)
}

/// The weight of an observation from a read placed by a coin toss (MAPQ 0
/// to 3): as `bcftools mpileup` does, such a read still counts, as a base of
/// this Phred quality (a 40 % chance of being wrong), so that thirty of them
/// agreeing inside a two-copy repeat make a call, while one or two do not.
pub const MIN_OBSERVATION_QUALITY: u8 = 4;

/// Which alignments and bases count as evidence. A read's observations
/// weigh no more than its mapping quality says its placement is worth (each
/// quality is capped at the read's MAPQ, and floored at
/// [`MIN_OBSERVATION_QUALITY`], as `bcftools mpileup` does), so a read from
/// a repeat still counts, and a call it supports shows the doubt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceOptions {
    /// Reads with a lower mapping quality are ignored entirely. The default,
    /// 0, keeps every mapped read: multi-mapping reads are down-weighted,
    /// not dropped.
    pub min_mapping_quality: u8,
    /// Mismatching bases with a lower Phred quality are not counted as SNV
    /// support (the read still counts towards depth).
    pub min_base_quality: u8,
}

impl Default for EvidenceOptions {
    fn default() -> Self {
        EvidenceOptions {
            min_mapping_quality: 0,
            min_base_quality: 13,
        }
    }
}

/// An observation's quality: its base (or indel) quality, capped at the
/// read's mapping quality, floored at [`MIN_OBSERVATION_QUALITY`].
pub(super) fn weighed(quality: u8, mapq: u8) -> u8 {
    quality.min(mapq).max(MIN_OBSERVATION_QUALITY)
}
