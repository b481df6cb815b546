//! The alleles of one site in a haploid sample. One copy carries one allele,
//! so the alleles of a site (SNVs at one position, indels at one anchor)
//! compete: reads of a rival allele are errors under the reference and under
//! this allele alike and weigh in neither, and only the allele most reads show
//! can be the site's genotype. Real data has such rivals where reads align one
//! event in two ways (a long replacement read as 66 or as 145 new bases).

use crate::align::ReferenceIndex;
use crate::pileup::{AlleleSupport, FxHashMap, Pileup};

/// The reads of a site's other alleles, as one allele sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Rivals {
    /// Reads showing another alternate allele at the site.
    pub(super) reads: u32,
    /// Another allele of the site has more reads than this one.
    pub(super) outnumbered: bool,
    /// How many of `reads` were placed by a coin toss (MAPQ 0).
    pub(super) coin_tosses: u32,
}

impl Rivals {
    /// No rival allele (and the diploid model, which does not weigh them).
    pub(super) const NONE: Rivals = Rivals {
        reads: 0,
        outnumbered: false,
        coin_tosses: 0,
    };
}

/// Reads of every alternate allele of a site, and the most that one has.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    reads: u32,
    most: u32,
    coin_tosses: u32,
}

impl Tally {
    fn add(&mut self, support: &AlleleSupport) {
        self.reads = self.reads.saturating_add(support.count);
        self.most = self.most.max(support.count);
        self.coin_tosses = self
            .coin_tosses
            .saturating_add(support.zero_mapping_quality);
    }

    fn rivals_of(self, support: &AlleleSupport) -> Rivals {
        Rivals {
            reads: self.reads.saturating_sub(support.count),
            outnumbered: self.most > support.count,
            coin_tosses: self
                .coin_tosses
                .saturating_sub(support.zero_mapping_quality),
        }
    }
}

/// The alleles of every site in a global range, tallied.
#[derive(Debug, Default)]
pub(super) struct SiteAlleles {
    snvs: FxHashMap<u32, Tally>,
    indels: FxHashMap<u32, Tally>,
}

impl SiteAlleles {
    /// Tallies the alleles of chunk `chunk` of `pileup` (every allele of a
    /// site lies in the site's chunk).
    pub(super) fn tally(pileup: &Pileup, index: &ReferenceIndex, chunk: usize) -> Self {
        let mut sites = SiteAlleles::default();
        for (allele, support) in pileup.chunk_snv_alleles(chunk, true) {
            sites.snvs.entry(allele.position).or_default().add(&support);
        }
        for (allele, support) in pileup.chunk_indel_alleles(chunk) {
            let anchor = allele.anchor(index);
            sites.indels.entry(anchor).or_default().add(&support);
        }
        sites
    }

    /// The rivals of an SNV allele at `position` with `support`.
    pub(super) fn snv_rivals(&self, position: u32, support: &AlleleSupport) -> Rivals {
        self.snvs
            .get(&position)
            .map_or(Rivals::NONE, |tally| tally.rivals_of(support))
    }

    /// The rivals of an indel allele anchored at `anchor` with `support`.
    pub(super) fn indel_rivals(&self, anchor: u32, support: &AlleleSupport) -> Rivals {
        self.indels
            .get(&anchor)
            .map_or(Rivals::NONE, |tally| tally.rivals_of(support))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allele_sees_the_reads_of_the_others_at_its_site_and_whether_one_has_more() {
        let support = |count, zero_mapping_quality| AlleleSupport {
            count,
            zero_mapping_quality,
            ..AlleleSupport::default()
        };
        let mut tally = Tally::default();
        for (count, coin_tosses) in [(13, 4), (10, 1), (2, 2)] {
            tally.add(&support(count, coin_tosses));
        }
        assert_eq!(
            tally.rivals_of(&support(13, 4)),
            Rivals {
                reads: 12,
                outnumbered: false,
                coin_tosses: 3,
            }
        );
        assert_eq!(
            tally.rivals_of(&support(10, 1)),
            Rivals {
                reads: 15,
                outnumbered: true,
                coin_tosses: 6,
            }
        );
    }
}
