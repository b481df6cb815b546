//! Reference genomes: FASTA loading (plain or gzip, multi-contig, any line
//! width, lower case, IUPAC codes) and random references made from a seed.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{HelixError, Result};
use crate::files::{open_input, Output, READ_BUFFER};
use crate::rng::{Rng, Stream};
use crate::shared_bases::SharedBases;
use std::sync::Arc;

/// One named sequence of a reference, bases upper-case `ACGTN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contig {
    /// First word of the FASTA header.
    pub name: String,
    /// Bases, upper case; IUPAC ambiguity codes become `N`. A loaded
    /// reference's contigs are consecutive ranges of one buffer.
    pub sequence: SharedBases,
}

/// A reference genome: one or more contigs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Contigs in file order.
    pub contigs: Vec<Contig>,
}

/// Byte → normalised base (`ACGTN`), `0` for a byte that is not a base,
/// `1` for spaces and tabs (skipped).
const fn base_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = (i as u8).to_ascii_uppercase();
        table[i] = match c {
            b'A' | b'C' | b'G' | b'T' | b'N' => c,
            b'R' | b'Y' | b'K' | b'M' | b'S' | b'W' | b'B' | b'D' | b'H' | b'V' | b'U' => {
                if c == b'U' {
                    b'T'
                } else {
                    b'N'
                }
            }
            b' ' | b'\t' => 1,
            _ => 0,
        };
        i += 1;
    }
    table
}

/// Normalisation table shared by the FASTA and FASTQ readers.
pub static BASES: [u8; 256] = base_table();

impl Reference {
    /// Loads a FASTA file (plain or gzip).
    pub fn load_fasta(path: &Path) -> Result<Self> {
        let input = path.display().to_string();
        let reader = open_input(path)?;
        Self::parse_fasta(reader, &input)
    }

    /// Parses FASTA text from `reader`; errors name `input` and the line.
    pub fn parse_fasta(reader: impl Read, input: &str) -> Result<Self> {
        let mut reader = BufReader::with_capacity(READ_BUFFER, reader);
        // Names and where each contig starts in `bases`, all contigs' bases end to end.
        let mut contigs: Vec<(String, usize)> = Vec::new();
        let mut bases: Vec<u8> = Vec::new();
        let mut header_lines: Vec<u64> = Vec::new();
        let mut names = HashSet::new();
        let mut line = Vec::with_capacity(256);
        let mut line_number = 0u64;
        let mut saw_bytes = false;
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| HelixError::io(input, e))?;
            if n == 0 {
                break;
            }
            saw_bytes = true;
            line_number += 1;
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            match line.first() {
                None | Some(b';') => continue,
                Some(b'>') => {
                    let name: Vec<u8> = line[1..]
                        .iter()
                        .copied()
                        .take_while(|c| !c.is_ascii_whitespace())
                        .collect();
                    if name.is_empty() {
                        return Err(HelixError::format(
                            input,
                            format!("line {line_number}: sequence header without a name"),
                        ));
                    }
                    let name = String::from_utf8_lossy(&name).into_owned();
                    if !names.insert(name.clone()) {
                        return Err(HelixError::format(
                            input,
                            format!("line {line_number}: duplicate sequence name '{name}'"),
                        ));
                    }
                    Self::check_not_empty(&contigs, bases.len(), &header_lines, input)?;
                    contigs.push((name, bases.len()));
                    header_lines.push(line_number);
                }
                Some(_) => {
                    if contigs.is_empty() {
                        return Err(HelixError::format(
                            input,
                            format!(
                                "line {line_number}: expected a '>' header before any sequence; is it FASTA?"
                            ),
                        ));
                    }
                    for (column, &c) in line.iter().enumerate() {
                        match BASES[c as usize] {
                            0 => {
                                return Err(HelixError::format(
                                    input,
                                    format!(
                                        "line {line_number}, column {}: invalid character {} in sequence; is it FASTA?",
                                        column + 1,
                                        describe_byte(c)
                                    ),
                                ))
                            }
                            1 => {}
                            base => bases.push(base),
                        }
                    }
                }
            }
        }
        if !saw_bytes {
            return Err(HelixError::format(input, "the file is empty"));
        }
        if contigs.is_empty() {
            return Err(HelixError::format(
                input,
                "no sequences found (no '>' header); is it FASTA?",
            ));
        }
        Self::check_not_empty(&contigs, bases.len(), &header_lines, input)?;
        bases.shrink_to_fit();
        let bases = Arc::new(bases);
        let ends: Vec<usize> = contigs
            .iter()
            .skip(1)
            .map(|&(_, start)| start)
            .chain([bases.len()])
            .collect();
        let contigs = contigs
            .into_iter()
            .zip(ends)
            .map(|((name, start), end)| Contig {
                name,
                sequence: SharedBases::slice(&bases, start..end),
            })
            .collect();
        Ok(Self { contigs })
    }

    /// Fails when the last contig (starting at `start` of the bases read so
    /// far, `read`) has no bases.
    fn check_not_empty(
        contigs: &[(String, usize)],
        read: usize,
        header_lines: &[u64],
        input: &str,
    ) -> Result<()> {
        if let (Some((name, start)), Some(line)) = (contigs.last(), header_lines.last()) {
            if *start == read {
                return Err(HelixError::format(
                    input,
                    format!("line {line}: sequence '{name}' has no bases"),
                ));
            }
        }
        Ok(())
    }

    /// A random reference of `length` uniform `ACGT` bases, one contig named
    /// `name`. Each 32-bit output gives 16 bases, two bits each, low bits first.
    pub fn random(length: u64, seed: u64, name: &str) -> Result<Self> {
        if length == 0 {
            return Err(HelixError::option(
                "referenceLength",
                "must be at least 1 base",
            ));
        }
        if length > u64::from(u32::MAX) {
            return Err(HelixError::option(
                "referenceLength",
                format!("must be at most {} bases, got {length}", u32::MAX),
            ));
        }
        const ACGT: [u8; 4] = *b"ACGT";
        let mut rng = Rng::new(seed, Stream::Reference);
        let length = length as usize;
        let mut sequence = Vec::with_capacity(length);
        while sequence.len() < length {
            let mut word = rng.next_u32();
            let take = (length - sequence.len()).min(16);
            for _ in 0..take {
                sequence.push(ACGT[(word & 3) as usize]);
                word >>= 2;
            }
        }
        Ok(Self {
            contigs: vec![Contig {
                name: name.to_string(),
                sequence: sequence.into(),
            }],
        })
    }

    /// Total number of bases over all contigs.
    pub fn total_length(&self) -> u64 {
        self.contigs.iter().map(|c| c.sequence.len() as u64).sum()
    }

    /// Writes FASTA with `line_width` bases per line.
    pub fn write_fasta(&self, out: &mut Output, line_width: usize) -> Result<()> {
        let width = line_width.max(1);
        for contig in &self.contigs {
            out.write_all(b">")?;
            out.write_all(contig.name.as_bytes())?;
            out.write_all(b"\n")?;
            for chunk in contig.sequence.chunks(width) {
                out.write_all(chunk)?;
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    }
}

/// `'x'` for printable bytes, `byte 0x1f` otherwise.
pub fn describe_byte(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else {
        format!("byte 0x{c:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Reference> {
        Reference::parse_fasta(text.as_bytes(), "test.fa")
    }

    #[test]
    fn parses_multi_contig_any_width_lower_case_and_n_runs() {
        let r = parse(">chr1 first\nACGTac\ngtNNNN\n\n>chr2\r\nacgtRYacgt\r\n>chr3\nA\n").unwrap();
        assert_eq!(r.contigs.len(), 3);
        assert_eq!(r.contigs[0].name, "chr1");
        assert_eq!(r.contigs[0].sequence, b"ACGTACGTNNNN");
        assert_eq!(r.contigs[1].sequence, b"ACGTNNACGT");
        assert_eq!(r.contigs[2].sequence, b"A");
        assert_eq!(r.total_length(), 23);
    }

    #[test]
    fn rejects_empty_and_non_fasta_input() {
        assert_eq!(
            parse("").unwrap_err().to_string(),
            "test.fa: the file is empty"
        );
        let e = parse("hello world\n").unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("is it FASTA?"), "{e}");
        let e = parse("@read1\nACGT\n+\nIIII\n").unwrap_err().to_string();
        assert!(e.contains("is it FASTA?"), "{e}");
        let e = parse(">a\nAC!GT\n").unwrap_err().to_string();
        assert!(e.contains("line 2, column 3") && e.contains("'!'"), "{e}");
        let e = parse(">a\n>b\nACGT\n").unwrap_err().to_string();
        assert!(e.contains("'a' has no bases"), "{e}");
        let e = parse(">\nACGT\n").unwrap_err().to_string();
        assert!(e.contains("without a name"), "{e}");
        let e = parse(">a\nA\n>a\nC\n").unwrap_err().to_string();
        assert!(e.contains("duplicate"), "{e}");
        assert!(parse("\n\n")
            .unwrap_err()
            .to_string()
            .contains("no sequences"));
    }

    #[test]
    fn random_reference_is_deterministic_and_uniform() {
        let a = Reference::random(10_000, 42, "random").unwrap();
        let b = Reference::random(10_000, 42, "random").unwrap();
        let c = Reference::random(10_000, 43, "random").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let seq = &a.contigs[0].sequence;
        assert_eq!(seq.len(), 10_000);
        for base in b"ACGT" {
            let n = seq.iter().filter(|&&c| c == *base).count();
            assert!((2300..2700).contains(&n), "{} {n}", *base as char);
        }
        assert!(Reference::random(0, 1, "x").is_err());
    }

    #[test]
    fn fasta_round_trips() {
        let dir = std::env::temp_dir().join(format!("helix-ref-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = parse(">x\nACGTACGTAC\n>y\nNNNNA\n").unwrap();
        for name in ["r.fa", "r.fa.gz"] {
            let path = dir.join(name);
            let mut out = Output::create(&path).unwrap();
            r.write_fasta(&mut out, 3).unwrap();
            out.finish().unwrap();
            assert_eq!(Reference::load_fasta(&path).unwrap(), r);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
