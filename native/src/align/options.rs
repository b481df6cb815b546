//! Tuning of the mapper: seeding, band and scoring.

/// Tuning of [`Mapper`](super::Mapper). The defaults suit 100–250 bp Illumina-like reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapperOptions {
    /// Seeds looked up per read (spread evenly over it).
    pub seeds_per_read: usize,
    /// Seeds with more reference occurrences than this are ignored as repeats.
    pub max_seed_occurrences: usize,
    /// Half-width of the alignment band: the largest net indel length found.
    pub band: usize,
    /// Score of a matching base.
    pub match_score: i32,
    /// Penalty of a mismatching base.
    pub mismatch_penalty: i32,
    /// Penalty of opening a gap (a gap of length `l` costs
    /// `gap_open + l * gap_extend`).
    pub gap_open: i32,
    /// Penalty per gap base.
    pub gap_extend: i32,
    /// Penalty of soft-clipping one end of the read.
    pub clip_penalty: i32,
    /// Penalty of a base facing `N` (in the read or the reference).
    pub ambiguous_penalty: i32,
    /// Alignments scoring less are reported unmapped.
    pub min_score: i32,
    /// Mismatches closer than this on the voted diagonal send the read to
    /// gapped alignment (an indel shows as a run of mismatches).
    pub mismatch_cluster_distance: usize,
    /// Read tails below this Phred quality are trimmed (soft-clipped) before
    /// aligning (see BWA's `-q`); 0 keeps every base.
    pub trim_quality: u8,
    /// Longest indel found by widening the band when seeds on both sides of
    /// it vote for diagonals this far apart.
    pub max_indel: usize,
    /// Longest deletion found from a read aligning in two pieces (split read).
    pub max_split_deletion: usize,
}

impl Default for MapperOptions {
    fn default() -> Self {
        MapperOptions {
            seeds_per_read: 12,
            max_seed_occurrences: 64,
            band: 16,
            match_score: 1,
            mismatch_penalty: 4,
            gap_open: 6,
            gap_extend: 1,
            clip_penalty: 5,
            ambiguous_penalty: 1,
            min_score: 30,
            mismatch_cluster_distance: 10,
            trim_quality: 10,
            max_indel: 64,
            max_split_deletion: 100_000,
        }
    }
}
