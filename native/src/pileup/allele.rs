//! Alternate alleles (SNV and indel) and the reads supporting them.

use super::strand::{NEAR_READ_END, REVERSE_STRAND};
use crate::align::ReferenceIndex;

/// An insertion or deletion, left-normalised, or a replacement of reference
/// bases by others (both `deleted` and `inserted`), trimmed to what differs;
/// in the global coordinates of a [`ReferenceIndex`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndelAllele {
    /// Global coordinate of the first deleted base, or of the base the
    /// insertion precedes. The VCF anchor base is the one before it.
    pub position: u32,
    /// Number of deleted reference bases (0 for an insertion).
    pub deleted: u32,
    /// Inserted bases, upper-case ASCII (empty for a deletion).
    pub inserted: Vec<u8>,
}

/// A variant written as VCF writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VcfAllele {
    /// Contig index.
    pub contig: usize,
    /// 1-based position (`POS`).
    pub position: u32,
    /// `REF` bases.
    pub reference: Vec<u8>,
    /// `ALT` bases.
    pub alternate: Vec<u8>,
}

impl IndelAllele {
    /// The allele in VCF form: `REF` and `ALT` share the anchor base before
    /// the event, or the base after it when the event starts a contig. A
    /// deletion across the origin of a circular contig reads on from its
    /// start (`REF` runs past the contig's end).
    pub fn to_vcf(&self, index: &ReferenceIndex) -> VcfAllele {
        let (contig, start) = index.locate(self.position);
        let sequence = index.contig_sequence_around(contig);
        let start = start as usize;
        let deleted_end = (start + self.deleted as usize).min(sequence.len());
        let (position, reference, alternate) = if start > 0 {
            let anchor = sequence[start - 1];
            let mut alternate = vec![anchor];
            alternate.extend_from_slice(&self.inserted);
            (start, sequence[start - 1..deleted_end].to_vec(), alternate)
        } else {
            let after = deleted_end.min(sequence.len() - 1);
            let mut alternate = self.inserted.clone();
            alternate.push(sequence[after]);
            (1, sequence[..=after].to_vec(), alternate)
        };
        VcfAllele {
            contig,
            position: position as u32,
            reference,
            alternate,
        }
    }

    /// Global coordinate of the VCF `POS` base (the anchor).
    pub fn anchor(&self, index: &ReferenceIndex) -> u32 {
        let (_, start) = index.locate(self.position);
        if start > 0 {
            self.position - 1
        } else {
            self.position
        }
    }
}

/// Read count, summed Phred base quality and mapping qualities of the reads
/// supporting one allele, and how many came from the reverse strand or lay
/// near their read's end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlleleSupport {
    /// Reads showing the allele.
    pub count: u32,
    /// Sum of their observation qualities (see [`super::EvidenceOptions`]).
    pub quality_sum: u64,
    /// Sum of their mapping qualities.
    pub mapping_quality_sum: u64,
    /// How many of them were placed by a coin toss (MAPQ 0).
    pub zero_mapping_quality: u32,
    /// How many of them match the reverse strand.
    pub reverse: u32,
    /// How many of them show it within [`super::READ_END_DISTANCE`] of
    /// their read's end.
    pub near_read_end: u32,
}

impl AlleleSupport {
    /// Adds one read's observation of quality `quality` from a read of
    /// mapping quality `mapq`, with its [`super::strand`] flags.
    pub(super) fn observe(&mut self, quality: u8, mapq: u8, flags: u8) {
        self.count += 1;
        self.quality_sum += u64::from(quality);
        self.mapping_quality_sum += u64::from(mapq);
        self.zero_mapping_quality += u32::from(mapq == 0);
        self.reverse += u32::from(flags & REVERSE_STRAND != 0);
        self.near_read_end += u32::from(flags & NEAR_READ_END != 0);
    }

    /// How many of the reads match the forward strand.
    pub fn forward(&self) -> u32 {
        self.count - self.reverse
    }

    /// Adds everything `other` holds.
    pub(super) fn absorb(&mut self, other: &AlleleSupport) {
        self.count += other.count;
        self.quality_sum += other.quality_sum;
        self.mapping_quality_sum += other.mapping_quality_sum;
        self.zero_mapping_quality += other.zero_mapping_quality;
        self.reverse += other.reverse;
        self.near_read_end += other.near_read_end;
    }
}

/// An SNV allele: a global position and the alternate base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnvAllele {
    /// Global coordinate.
    pub position: u32,
    /// Alternate base (`A`, `C`, `G` or `T`).
    pub base: u8,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::testing::index_of;

    #[test]
    fn writes_indels_in_vcf_form() {
        let index = index_of(&[("a", b"GGGGG"), ("b", b"ACGTACGT")]);
        let deletion = IndelAllele {
            position: 5 + 2,
            deleted: 2,
            inserted: Vec::new(),
        };
        let vcf = deletion.to_vcf(&index);
        assert_eq!((vcf.contig, vcf.position), (1, 2));
        assert_eq!(
            (vcf.reference.as_slice(), vcf.alternate.as_slice()),
            (b"CGT".as_slice(), b"C".as_slice())
        );
        assert_eq!(deletion.anchor(&index), 6);
        let insertion = IndelAllele {
            position: 5,
            deleted: 0,
            inserted: b"TT".to_vec(),
        };
        let vcf = insertion.to_vcf(&index);
        assert_eq!((vcf.contig, vcf.position), (1, 1));
        assert_eq!(
            (vcf.reference.as_slice(), vcf.alternate.as_slice()),
            (b"A".as_slice(), b"TTA".as_slice())
        );
        assert_eq!(insertion.anchor(&index), 5);
    }
}
