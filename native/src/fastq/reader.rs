//! One FASTQ input read record by record into a batch.

use std::io::Read;
use std::path::Path;

use memchr::memchr;

use crate::batch::Batch;
use crate::error::{HelixError, Result};
use crate::files::{open_input, READ_BUFFER};
use crate::reference::{describe_byte, BASES};

/// Reads FASTQ records one at a time from one input.
pub struct FastqReader {
    input: String,
    reader: Box<dyn Read + Send>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    records: u64,
    lines: u64,
}

fn trim_cr(line: &[u8]) -> &[u8] {
    match line.last() {
        Some(b'\r') => &line[..line.len() - 1],
        _ => line,
    }
}

impl FastqReader {
    /// Opens `path` (plain or gzip).
    pub fn open(path: &Path) -> Result<Self> {
        Ok(Self::new(open_input(path)?, path.display().to_string()))
    }

    /// Reads from `reader`; errors name `input`.
    pub fn new(reader: Box<dyn Read + Send>, input: impl Into<String>) -> Self {
        Self {
            input: input.into(),
            reader,
            buf: vec![0; READ_BUFFER],
            start: 0,
            end: 0,
            eof: false,
            records: 0,
            lines: 0,
        }
    }

    /// The input's name.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    fn error(&self, line_offset: u64, problem: impl std::fmt::Display) -> HelixError {
        HelixError::format(
            &self.input,
            format!(
                "record {} (line {}): {problem}",
                self.records + 1,
                self.lines + line_offset
            ),
        )
    }

    /// Reads more input after the unconsumed bytes; false at end of input.
    fn fill(&mut self) -> Result<bool> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = self.buf.len() * 2;
            self.buf.resize(grown, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(HelixError::io(&self.input, e)),
            }
        }
    }

    /// Appends the next record to `batch`; `false` at the end of input.
    pub fn read_into(&mut self, batch: &mut Batch) -> Result<bool> {
        loop {
            while self.start < self.end {
                match self.buf[self.start] {
                    b'\n' => {
                        self.start += 1;
                        self.lines += 1;
                    }
                    b'\r' if self.buf.get(self.start + 1) == Some(&b'\n') => self.start += 1,
                    _ => break,
                }
            }
            if self.start == self.end || (self.start + 1 == self.end && !self.eof) {
                if self.eof {
                    return Ok(false);
                }
                self.fill()?;
                continue;
            }
            let mut ends = [0usize; 4];
            let mut found = 0;
            let mut p = self.start;
            while found < 4 {
                match memchr(b'\n', &self.buf[p..self.end]) {
                    Some(i) => {
                        ends[found] = p + i;
                        p += i + 1;
                        found += 1;
                    }
                    None if self.eof && found == 3 && p < self.end => {
                        ends[3] = self.end;
                        found = 4;
                    }
                    None => break,
                }
            }
            if found < 4 {
                if self.eof {
                    let lines = found + usize::from(p < self.end);
                    return Err(self.error(
                        1,
                        format!("truncated record: the input ends after {lines} of its 4 lines"),
                    ));
                }
                self.fill()?;
                continue;
            }
            self.parse(ends, batch)?;
            self.start = (ends[3] + 1).min(self.end);
            return Ok(true);
        }
    }

    fn parse(&mut self, ends: [usize; 4], batch: &mut Batch) -> Result<()> {
        let buf = &self.buf;
        let header = trim_cr(&buf[self.start..ends[0]]);
        let sequence = trim_cr(&buf[ends[0] + 1..ends[1]]);
        let separator = trim_cr(&buf[ends[1] + 1..ends[2]]);
        let qualities = trim_cr(&buf[ends[2] + 1..ends[3]]);
        match header.first() {
            Some(b'@') => {}
            Some(&c) => {
                return Err(self.error(
                    1,
                    format!("header must start with '@', found {}", describe_byte(c)),
                ))
            }
            None => return Err(self.error(1, "empty header line")),
        }
        let name_length = header
            .iter()
            .skip(1)
            .position(|c| c.is_ascii_whitespace())
            .unwrap_or(header.len() - 1);
        if name_length == 0 {
            return Err(self.error(1, "empty read name"));
        }
        if separator.first() != Some(&b'+') {
            return Err(self.error(
                3,
                "separator line must start with '+' (multi-line FASTQ is not supported)",
            ));
        }
        if qualities.len() != sequence.len() {
            return Err(self.error(
                4,
                format!(
                    "quality length {} differs from sequence length {}",
                    qualities.len(),
                    sequence.len()
                ),
            ));
        }
        let (low, high) = qualities
            .iter()
            .fold((u8::MAX, 0u8), |(lo, hi), &q| (lo.min(q), hi.max(q)));
        if !qualities.is_empty() && (low < b'!' || high > b'~') {
            let (i, &q) = qualities
                .iter()
                .enumerate()
                .find(|(_, &q)| !(b'!'..=b'~').contains(&q))
                .expect("a quality is out of range");
            return Err(self.error(
                4,
                format!("invalid quality {} at position {}", describe_byte(q), i + 1),
            ));
        }
        let offset = batch.bases.len();
        let mut bad = 0u8;
        let mut ambiguous = false;
        batch.bases.extend(sequence.iter().map(|&c| {
            let base = BASES[c as usize];
            bad |= u8::from(base < 2);
            ambiguous |= base != c.to_ascii_uppercase();
            base
        }));
        if bad != 0 {
            batch.bases.truncate(offset);
            let (i, &c) = sequence
                .iter()
                .enumerate()
                .find(|(_, &c)| BASES[c as usize] < 2)
                .expect("a base is invalid");
            return Err(self.error(
                2,
                format!("invalid base {} at position {}", describe_byte(c), i + 1),
            ));
        }
        batch.qualities.extend_from_slice(qualities);
        batch.names.extend_from_slice(&header[1..1 + name_length]);
        batch.ambiguous_reads += u32::from(ambiguous);
        batch.end_read();
        self.records += 1;
        self.lines += 4;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(text: &str) -> FastqReader {
        FastqReader::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            "t.fq",
        )
    }

    fn read_all(text: &str) -> Result<Batch> {
        let mut r = reader(text);
        let mut batch = Batch::with_capacity(4, 4);
        while r.read_into(&mut batch)? {}
        Ok(batch)
    }

    #[test]
    fn counts_reads_with_characters_other_than_acgtn() {
        let batch =
            read_all("@a\nacgtn\n+\nIIIII\n@b\nACRT\n+\nIIII\n@c\nACGU\n+\nIIII\n").unwrap();
        assert_eq!(batch.len(), 3);
        assert_eq!(batch.ambiguous_reads, 2);
        assert_eq!(batch.read(1).bases, b"ACNT");
        assert_eq!(batch.read(2).bases, b"ACGT");
    }

    #[test]
    fn reads_records_with_crlf_comments_lower_case_and_no_final_newline() {
        let batch = read_all("@r1 comment\nACgt\n+r1\nIIII\r\n\n@r2\r\nNNR\r\n+\r\n###").unwrap();
        assert_eq!(batch.len(), 2);
        let r = batch.read(0);
        assert_eq!(
            (r.name, r.bases, r.qualities),
            (&b"r1"[..], &b"ACGT"[..], &b"IIII"[..])
        );
        let r = batch.read(1);
        assert_eq!(
            (r.name, r.bases, r.qualities),
            (&b"r2"[..], &b"NNN"[..], &b"###"[..])
        );
    }

    #[test]
    fn malformed_records_name_the_record_line_and_problem() {
        let ok = "@r1\nACGT\n+\nIIII\n";
        let cases = [
            (
                format!("{ok}r2\nACGT\n+\nIIII\n"),
                "record 2 (line 5): header must start with '@', found 'r'",
            ),
            (
                format!("{ok}@r2\nACGT\n-\nIIII\n"),
                "record 2 (line 7): separator line must start with '+'",
            ),
            (
                format!("{ok}@r2\nACGT\n+\nIII\n"),
                "record 2 (line 8): quality length 3 differs from sequence length 4",
            ),
            (
                format!("{ok}@r2\nAC!T\n+\nIIII\n"),
                "record 2 (line 6): invalid base '!' at position 3",
            ),
            (
                format!("{ok}@r2\nACGT\n+\nII I\n"),
                "record 2 (line 8): invalid quality byte 0x20 at position 3",
            ),
            (
                format!("{ok}@r2\nACGT\n"),
                "record 2 (line 5): truncated record: the input ends after 2 of its 4 lines",
            ),
            (
                format!("{ok}@ x\nACGT\n+\nIIII\n"),
                "record 2 (line 5): empty read name",
            ),
        ];
        for (text, expected) in cases {
            let err = read_all(&text).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("t.fq: {expected}")),
                "{err}\nexpected {expected}"
            );
        }
    }

    #[test]
    fn records_spanning_buffer_refills_are_read_whole() {
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!(
                "@read{i}\n{}\n+\n{}\n",
                "ACGT".repeat(40),
                "I".repeat(160)
            ));
        }
        let batch = read_all(&text).unwrap();
        assert_eq!(batch.len(), 20_000);
        assert_eq!(batch.read(19_999).name, b"read19999");
        assert_eq!(batch.bases.len(), 20_000 * 160);
    }
}
