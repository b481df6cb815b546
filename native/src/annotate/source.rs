//! What the annotation readers share: the reference contigs features are
//! placed on, and what a reader hands back.

use super::feature::Feature;

/// A named sequence, upper case, and whether it is circular.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContigSequence {
    /// Contig name as the reference names it.
    pub name: String,
    /// Bases, upper case.
    pub sequence: Vec<u8>,
    /// Circular (a plasmid, a bacterial chromosome written as such).
    pub circular: bool,
}

/// The reference's contigs, looked up by name.
#[derive(Clone, Debug, Default)]
pub struct ReferenceContigs {
    /// In reference order.
    pub contigs: Vec<ContigSequence>,
}

impl ReferenceContigs {
    /// Index of the contig called `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.contigs.iter().position(|c| c.name == name)
    }

    /// Name of contig `index`.
    pub fn name(&self, index: usize) -> &str {
        &self.contigs[index].name
    }

    /// Bases of contig `index`.
    pub fn sequence(&self, index: usize) -> &[u8] {
        &self.contigs[index].sequence
    }

    /// All names, comma separated, for error messages (the first few).
    pub fn names(&self) -> String {
        let mut names: Vec<&str> = self
            .contigs
            .iter()
            .take(5)
            .map(|c| c.name.as_str())
            .collect();
        if self.contigs.len() > 5 {
            names.push("…");
        }
        names.join(", ")
    }
}

/// Features read from an annotation file, before checks.
#[derive(Debug, Default)]
pub struct ParsedAnnotation {
    /// Features, each with the protein the file says it makes (GenBank `/translation`).
    pub features: Vec<(Feature, Option<String>)>,
    /// Contigs the file declares circular.
    pub circular: Vec<usize>,
}
