//! The indel alleles of one chunk (those anchored in it), sorted, with their
//! support. Indels are far rarer than SNVs, errors included, so they are
//! kept whole.

use super::chunk::reserve_one;
use super::{AlleleSupport, IndelAllele};

/// A chunk's indel alleles, sorted.
#[derive(Debug, Clone, Default)]
pub(super) struct IndelStore {
    alleles: Vec<(IndelAllele, AlleleSupport)>,
}

impl IndelStore {
    fn entry(&mut self, allele: &IndelAllele) -> &mut AlleleSupport {
        let at = match self.alleles.binary_search_by(|(a, _)| a.cmp(allele)) {
            Ok(at) => at,
            Err(at) => {
                reserve_one(&mut self.alleles);
                self.alleles
                    .insert(at, (allele.clone(), AlleleSupport::default()));
                at
            }
        };
        &mut self.alleles[at].1
    }

    /// Adds one read's observation of `allele`.
    pub(super) fn observe(&mut self, allele: &IndelAllele, quality: u8, mapq: u8, flags: u8) {
        self.entry(allele).observe(quality, mapq, flags);
    }

    /// Adds `support` to `allele`'s.
    pub(super) fn add(&mut self, allele: &IndelAllele, support: &AlleleSupport) {
        self.entry(allele).absorb(support);
    }

    /// Adds everything `other` holds.
    pub(super) fn absorb(&mut self, other: &IndelStore) {
        for (allele, support) in &other.alleles {
            self.add(allele, support);
        }
    }

    /// Support of `allele`, empty when no read showed it.
    pub(super) fn get(&self, allele: &IndelAllele) -> AlleleSupport {
        self.alleles
            .binary_search_by(|(a, _)| a.cmp(allele))
            .map_or(AlleleSupport::default(), |at| self.alleles[at].1)
    }

    /// Every allele with its support, sorted.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&IndelAllele, AlleleSupport)> + '_ {
        self.alleles
            .iter()
            .map(|(allele, support)| (allele, *support))
    }

    pub(super) fn len(&self) -> usize {
        self.alleles.len()
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.alleles.capacity() * std::mem::size_of::<(IndelAllele, AlleleSupport)>()
            + self
                .alleles
                .iter()
                .map(|(a, _)| a.inserted.capacity())
                .sum::<usize>()
    }
}
