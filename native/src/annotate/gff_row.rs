//! GFF3 record lines as the annotator reads them (up to `##FASTA`), each
//! with its line number, read with `noodles-gff`.

use std::collections::HashMap;
use std::io::BufRead;

use noodles_gff::feature::record::Strand as GffStrand;
use noodles_gff::{self as gff, line::Kind};

use super::feature::Strand;
use crate::error::{HelixError, Result};

/// One record line, with what the annotator reads from it.
#[derive(Clone, Debug)]
pub struct Row {
    /// 1-based line number.
    pub line: u64,
    /// Contig name (column 1).
    pub seqid: String,
    /// Feature type (column 3).
    pub ty: String,
    /// 1-based first base.
    pub start: u64,
    /// 1-based last base.
    pub end: u64,
    /// `+` or `-`; `None` for `.` and `?`.
    pub strand: Option<Strand>,
    /// Bases before the first codon (column 8; 0 for `.`).
    pub phase: u64,
    /// Attributes (column 9), percent-decoded; several values stay comma-joined.
    pub attributes: HashMap<String, String>,
}

impl Row {
    /// One attribute's value.
    pub fn attribute(&self, key: &str) -> Option<String> {
        self.attributes.get(key).cloned()
    }

    /// IDs in `Parent=`.
    pub fn parents(&self) -> Vec<String> {
        self.attributes
            .get("Parent")
            .map(|p| p.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    }
}

/// Reads the record lines (up to `##FASTA`); errors name `input` and the line.
pub fn rows(reader: impl BufRead, input: &str) -> Result<Vec<Row>> {
    let mut reader = gff::io::Reader::new(reader);
    let mut line = gff::Line::default();
    let mut number = 0u64;
    let mut rows = Vec::new();
    loop {
        let read = reader
            .read_line(&mut line)
            .map_err(|e| HelixError::format(input, format!("line {}: {e}", number + 1)))?;
        if read == 0 {
            break;
        }
        number += 1;
        match line.kind() {
            Kind::Directive => {
                if line.as_ref().starts_with(b"##FASTA") {
                    break;
                }
            }
            Kind::Comment => {}
            Kind::Record => {
                let bad =
                    |e: std::io::Error| HelixError::format(input, format!("line {number}: {e}"));
                let Some(record) = line.as_record() else {
                    continue;
                };
                let record = record.map_err(bad)?;
                let strand = match record.strand().map_err(bad)? {
                    GffStrand::Forward => Some(Strand::Forward),
                    GffStrand::Reverse => Some(Strand::Reverse),
                    _ => None,
                };
                let mut attributes = HashMap::new();
                for field in record.attributes().iter() {
                    let (key, value) = field.map_err(bad)?;
                    attributes.insert(key.to_string(), value.as_ref().to_string());
                }
                rows.push(Row {
                    line: number,
                    seqid: record.reference_sequence_name().to_string(),
                    ty: record.ty().to_string(),
                    start: usize::from(record.start().map_err(bad)?) as u64,
                    end: usize::from(record.end().map_err(bad)?) as u64,
                    strand,
                    phase: record
                        .phase()
                        .transpose()
                        .map_err(bad)?
                        .map_or(0, |p| p as u64),
                    attributes,
                });
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_read_up_to_the_fasta_directive_with_their_line_numbers() {
        let text = "##gff-version 3\n# a comment\nchr\tt\tCDS\t3\t17\t.\t-\t2\tID=c%3B1;Parent=g1,g2\n##FASTA\n>chr\nACGT\n";
        let rows = rows(text.as_bytes(), "genes.gff3").unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.line, row.start, row.end, row.phase), (3, 3, 17, 2));
        assert_eq!(row.strand, Some(Strand::Reverse));
        assert_eq!(row.attribute("ID").as_deref(), Some("c;1"));
        assert_eq!(row.parents(), ["g1", "g2"]);
    }

    #[test]
    fn a_malformed_record_is_an_error_naming_the_line() {
        let error = rows(
            "##gff-version 3\nchr\tt\tCDS\tx\t17\n".as_bytes(),
            "genes.gff3",
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with("genes.gff3: line 2: "),
            "{error}"
        );
    }
}
