//! Genes as the annotator sees them: names, strand, and the segments of a
//! coding sequence or a non-coding transcript in transcription order.

use super::genetic_code::GeneticCode;

/// Strand of a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strand {
    /// Read left to right.
    Forward,
    /// Read right to left, complemented.
    Reverse,
}

/// One stretch of a feature on its contig: 1-based, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First base (the lower coordinate).
    pub start: u64,
    /// Last base (the higher coordinate).
    pub end: u64,
    /// Strand the segment is read on.
    pub strand: Strand,
}

impl Segment {
    /// Number of bases (a segment holds at least one).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u64 {
        self.end - self.start + 1
    }

    /// Whether the segment covers `position`.
    pub fn contains(&self, position: u64) -> bool {
        (self.start..=self.end).contains(&position)
    }
}

/// What a feature's transcript is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Biotype {
    /// A CDS translated with `code`, starting `offset` bases into its first
    /// segment (`/codon_start` − 1 or the GFF3 phase).
    ProteinCoding {
        /// Translation table.
        code: GeneticCode,
        /// Bases before the first translated codon.
        offset: u64,
    },
    /// rRNA, tRNA, ncRNA, pseudogene…, named as the annotation names it.
    NonCoding(String),
}

/// One gene's transcript: a CDS or a non-coding RNA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    /// Index of the contig in the reference.
    pub contig: usize,
    /// Gene name (`/gene`, `Name=`), if any.
    pub gene: Option<String>,
    /// Locus tag (`/locus_tag`, `locus_tag=`, or the gene's ID).
    pub locus_tag: Option<String>,
    /// Transcript or protein identifier for `Feature_ID`.
    pub transcript_id: String,
    /// Product (`/product`).
    pub product: Option<String>,
    /// Segments in transcription order (several for `join(...)`).
    pub segments: Vec<Segment>,
    /// Coding or not, and how to translate.
    pub biotype: Biotype,
    /// Where the feature was read, e.g. `line 12` or `CDS 7`, for messages.
    pub origin: String,
    /// snpEff-style flags found when the feature was read, e.g.
    /// `WARNING_TRANSCRIPT_INCOMPLETE`; every effect in the feature carries them.
    pub warnings: Vec<String>,
}

impl Feature {
    /// The name a person reads: gene name, else locus tag, else transcript ID.
    pub fn label(&self) -> &str {
        self.gene
            .as_deref()
            .or(self.locus_tag.as_deref())
            .unwrap_or(&self.transcript_id)
    }

    /// How error messages name the feature: locus tag or ID, and gene name.
    pub fn describe(&self) -> String {
        let tag = self.locus_tag.as_deref().unwrap_or(&self.transcript_id);
        match &self.gene {
            Some(gene) if gene != tag => format!("{tag} ({gene})"),
            _ => tag.to_string(),
        }
    }

    /// Lowest and highest base over all segments.
    pub fn span(&self) -> (u64, u64) {
        let start = self.segments.iter().map(|s| s.start).min().unwrap_or(0);
        let end = self.segments.iter().map(|s| s.end).max().unwrap_or(0);
        (start, end)
    }

    /// Strand of the first segment (the feature's strand).
    pub fn strand(&self) -> Strand {
        self.segments
            .first()
            .map_or(Strand::Forward, |segment| segment.strand)
    }

    /// The first transcribed base (where "upstream" is measured from).
    pub fn five_prime(&self) -> u64 {
        match self.segments.first() {
            Some(s) if s.strand == Strand::Reverse => s.end,
            Some(s) => s.start,
            None => 0,
        }
    }

    /// Number of transcribed bases over all segments.
    pub fn transcript_length(&self) -> u64 {
        self.segments.iter().map(Segment::len).sum()
    }

    /// The transcribed bases (complemented on the reverse strand), in order.
    pub fn transcript(&self, contig: &[u8]) -> Vec<u8> {
        let mut bases = Vec::with_capacity(self.transcript_length() as usize);
        for segment in &self.segments {
            let slice = &contig[segment.start as usize - 1..segment.end as usize];
            match segment.strand {
                Strand::Forward => bases.extend_from_slice(slice),
                Strand::Reverse => bases.extend(slice.iter().rev().map(|b| complement(*b))),
            }
        }
        bases
    }
}

/// Each byte's complement, upper case (`N` for any byte not a base): a
/// table, as every base of a reverse-strand transcript is complemented.
const COMPLEMENT: [u8; 256] = {
    let mut table = [b'N'; 256];
    let pairs = [(b'A', b'T'), (b'C', b'G'), (b'G', b'C'), (b'T', b'A')];
    let mut index = 0;
    while index < pairs.len() {
        let (base, complement) = pairs[index];
        table[base as usize] = complement;
        table[base.to_ascii_lowercase() as usize] = complement;
        index += 1;
    }
    table
};

/// The complementary base (`N` stays `N`).
pub fn complement(base: u8) -> u8 {
    COMPLEMENT[base as usize]
}

/// Reverse complement of a sequence.
pub fn reverse_complement(bases: &[u8]) -> Vec<u8> {
    bases.iter().rev().map(|b| complement(*b)).collect()
}

#[cfg(test)]
impl Feature {
    /// A feature for tests: gene `abc`, locus tag `T_1`, read at `line 1` of contig 0.
    pub fn example(segments: Vec<Segment>, biotype: Biotype) -> Feature {
        Feature {
            contig: 0,
            gene: Some("abc".into()),
            locus_tag: Some("T_1".into()),
            transcript_id: "T_1".into(),
            product: None,
            segments,
            biotype,
            origin: "line 1".into(),
            warnings: vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(segments: Vec<Segment>) -> Feature {
        Feature::example(segments, Biotype::NonCoding("rRNA".into()))
    }

    #[test]
    fn a_reverse_strand_transcript_is_the_reverse_complement() {
        let f = feature(vec![Segment {
            start: 2,
            end: 5,
            strand: Strand::Reverse,
        }]);
        assert_eq!(f.transcript(b"AACGTT"), b"ACGT".to_vec());
        assert_eq!(f.five_prime(), 5);
    }

    #[test]
    fn joined_segments_are_read_in_their_order_and_may_repeat_a_base() {
        let f = feature(vec![
            Segment {
                start: 1,
                end: 3,
                strand: Strand::Forward,
            },
            Segment {
                start: 3,
                end: 5,
                strand: Strand::Forward,
            },
        ]);
        assert_eq!(f.transcript(b"ACGTA"), b"ACGGTA".to_vec());
        assert_eq!(f.span(), (1, 5));
        assert_eq!(f.describe(), "T_1 (abc)");
    }
}
