//! Node-API binding of GenBank sequences, so one `.gbk` serves as the
//! reference as well as the annotation.

use napi::bindgen_prelude::Buffer;
use napi::Result;
use napi_derive::napi;

use crate::annotate::genbank;
use crate::error::to_js;

/// A sequence read from a GenBank file.
#[napi(object)]
pub struct GenbankSequence {
    /// LOCUS name.
    pub name: String,
    /// Bases, upper case.
    pub sequence: Buffer,
    /// Whether LOCUS says `circular`.
    pub circular: bool,
    /// Whether its division (`BCT`, `PHG`) or lineage says bacteria, archaea
    /// or phage: a haploid genome, with genetic code 11 by default.
    pub microbial: bool,
}

/// The sequences of a GenBank file, so one `.gbk` serves as the reference
/// too; errors name the file.
#[napi]
pub fn read_genbank_sequences(path: String) -> Result<Vec<GenbankSequence>> {
    let seqs = genbank::read(path.as_ref()).map_err(to_js)?;
    let contigs = genbank::sequences(&seqs, &path).map_err(to_js)?;
    Ok(contigs
        .into_iter()
        .zip(&seqs)
        .map(|(c, seq)| GenbankSequence {
            name: c.name,
            sequence: c.sequence.into(),
            circular: c.circular,
            microbial: genbank::is_microbial(seq),
        })
        .collect())
}
