//! The truth set: injected variants, their genotypes, and their VCF.

use super::buffers::push_decimal;
use super::Sample;
use crate::error::Result;
use crate::files::Output;

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

impl Sample {
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mutate, reference};
    use super::*;

    #[test]
    fn writes_the_truth_as_phased_vcf() {
        let r = reference(20_000);
        let sample = mutate(&r, 0.002, 0.2);
        let dir = std::env::temp_dir().join(format!("helix-truth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("truth.vcf");
        let mut out = Output::create(&path).unwrap();
        sample.write_truth_vcf(&mut out).unwrap();
        out.finish().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(text.starts_with("##fileformat=VCFv4.3\n"));
        assert!(text.contains("##contig=<ID=chrT,length=20000>\n"));
        let records: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(!records.is_empty());
        assert_eq!(records.len(), sample.truth.len());
        for (record, variant) in records.iter().zip(&sample.truth) {
            let fields: Vec<&str> = record.split('\t').collect();
            assert_eq!(fields[0], "chrT");
            assert_eq!(fields[1], variant.position.to_string());
            assert_eq!(fields[3].as_bytes(), variant.reference);
            assert_eq!(fields[4].as_bytes(), variant.alternate);
            assert_eq!(fields[7], format!("TYPE={}", variant.kind().as_str()));
            assert_eq!(fields[9], variant.genotype.as_vcf());
        }
    }
}
