//! Streaming FASTQ reader (plain or gzip; one file, several files in a row, or
//! two mate files in lockstep) filling [`Batch`]es.
//!
//! Malformed input is an error naming the file, the record number, the line
//! and the problem; nothing is skipped silently.

use std::io::Read;
use std::path::{Path, PathBuf};

use memchr::memchr;

use crate::batch::Batch;
use crate::error::{HelixError, Result};
use crate::files::{open_input, READ_BUFFER};
use crate::reference::{describe_byte, BASES};

/// A batch stops growing past this many bases, whatever its read count.
pub const MAX_BATCH_BASES: usize = 1 << 26;

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

/// Name without a trailing `/1` or `/2`.
fn mate_stem(name: &[u8]) -> &[u8] {
    match name {
        [stem @ .., b'/', b'1' | b'2'] => stem,
        _ => name,
    }
}

/// FASTQ files as one stream of batches: single files one after another, or
/// two mate files read in lockstep (reads `2k` and `2k + 1` of a batch are
/// mates).
pub struct FastqSource {
    readers: Vec<FastqReader>,
    paired: bool,
    current: usize,
    batches: u64,
    reads: u64,
}

impl FastqSource {
    /// Opens every file now, so an unreadable one fails at once.
    pub fn open(paths: &[PathBuf], paired: bool) -> Result<Self> {
        if paths.is_empty() {
            return Err(HelixError::option("files", "name at least one FASTQ file"));
        }
        if paired && paths.len() != 2 {
            return Err(HelixError::option(
                "files",
                format!("paired reads need exactly two files, got {}", paths.len()),
            ));
        }
        let readers = paths
            .iter()
            .map(|p| FastqReader::open(p))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self::from_readers(readers, paired))
    }

    /// A source over already opened readers.
    pub fn from_readers(readers: Vec<FastqReader>, paired: bool) -> Self {
        Self {
            readers,
            paired,
            current: 0,
            batches: 0,
            reads: 0,
        }
    }

    /// Whether reads come in mate pairs.
    pub fn paired(&self) -> bool {
        self.paired
    }

    /// The next batch of up to `max_reads` reads (rounded up to even when
    /// paired), or `None` at the end of the input.
    pub fn next_batch(&mut self, max_reads: usize) -> Result<Option<Batch>> {
        let mut batch = Batch::with_capacity(max_reads.min(1 << 16), 150);
        Ok(self.fill_batch(&mut batch, max_reads)?.then_some(batch))
    }

    /// Replaces the reads of `batch` with up to `max_reads` next reads
    /// (rounded up to even when paired); `false` at the end of the input.
    pub fn fill_batch(&mut self, batch: &mut Batch, max_reads: usize) -> Result<bool> {
        let max_reads = max_reads.max(1);
        batch.clear();
        batch.sequence = self.batches;
        batch.first_read = self.reads;
        batch.paired = self.paired;
        if self.paired {
            self.fill_pairs(batch, max_reads.div_ceil(2) * 2)?;
        } else {
            while batch.len() < max_reads && batch.bases.len() < MAX_BATCH_BASES {
                let Some(reader) = self.readers.get_mut(self.current) else {
                    break;
                };
                if !reader.read_into(batch)? {
                    self.current += 1;
                }
            }
        }
        if batch.is_empty() {
            return Ok(false);
        }
        self.batches += 1;
        self.reads += batch.len() as u64;
        Ok(true)
    }

    fn fill_pairs(&mut self, batch: &mut Batch, max_reads: usize) -> Result<()> {
        let [first, second] = &mut self.readers[..] else {
            unreachable!("paired sources have two readers");
        };
        while batch.len() < max_reads && batch.bases.len() < MAX_BATCH_BASES {
            let a = first.read_into(batch)?;
            let b = second.read_into(batch)?;
            match (a, b) {
                (true, true) => {
                    let n = batch.len();
                    let (x, y) = (batch.read(n - 2).name, batch.read(n - 1).name);
                    if mate_stem(x) != mate_stem(y) {
                        return Err(HelixError::format(
                            second.input(),
                            format!(
                                "record {} (line {}): mate name '{}' does not match '{}' in {}",
                                second.records(),
                                second.records() * 4 - 3,
                                String::from_utf8_lossy(y),
                                String::from_utf8_lossy(x),
                                first.input()
                            ),
                        ));
                    }
                }
                (false, false) => break,
                (true, false) | (false, true) => {
                    let (ended, longer) = if a {
                        (&*second, &*first)
                    } else {
                        (&*first, &*second)
                    };
                    return Err(HelixError::format(
                        ended.input(),
                        format!(
                            "ends after record {} but its mate file {} has more records",
                            ended.records(),
                            longer.input()
                        ),
                    ));
                }
            }
        }
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

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn paired_files_are_read_in_lockstep_and_must_agree() {
        let dir = std::env::temp_dir().join(format!("helix-fastq-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = write(
            &dir,
            "a.fq",
            "@p1/1\nAC\n+\nII\n@p2/1\nGG\n+\nII\n@p3/1\nTT\n+\nII\n",
        );
        let b = write(
            &dir,
            "b.fq",
            "@p1/2\nCA\n+\nII\n@p2/2\nCC\n+\nII\n@p3/2\nAA\n+\nII\n",
        );
        let mut source = FastqSource::open(&[a.clone(), b.clone()], true).unwrap();
        let first = source.next_batch(3).unwrap().unwrap();
        assert_eq!(first.len(), 4);
        assert!(first.paired);
        assert_eq!(first.read(1).bases, b"CA");
        let second = source.next_batch(3).unwrap().unwrap();
        assert_eq!(
            (second.len(), second.first_read, second.sequence),
            (2, 4, 1)
        );
        assert!(source.next_batch(3).unwrap().is_none());

        let short = write(&dir, "short.fq", "@p1/2\nCA\n+\nII\n");
        let err = FastqSource::open(&[a.clone(), short], true)
            .unwrap()
            .next_batch(100)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("short.fq: ends after record 1 but its mate file") && err.contains("a.fq"),
            "{err}"
        );

        let other = write(&dir, "other.fq", "@q1/2\nCA\n+\nII\n");
        let err = FastqSource::open(&[a, other], true)
            .unwrap()
            .next_batch(100)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("other.fq: record 1 (line 1): mate name 'q1/2' does not match 'p1/1'"),
            "{err}"
        );

        let missing = FastqSource::open(&[dir.join("missing.fq")], false)
            .err()
            .unwrap();
        assert!(missing.to_string().contains("missing.fq"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("helix-fastq-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut text = String::new();
        for i in 0..5000 {
            text.push_str(&format!(
                "@r{i}\n{}\n+\n{}\n",
                "ACGTTGCA".repeat(10),
                "IIII#III".repeat(10)
            ));
        }
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        let whole = dir.join("whole.fq.gz");
        std::fs::write(&whole, &bytes).unwrap();
        let mut source = FastqSource::open(&[whole], false).unwrap();
        assert_eq!(source.next_batch(100_000).unwrap().unwrap().len(), 5000);

        let cut = dir.join("cut.fq.gz");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let mut source = FastqSource::open(&[cut], false).unwrap();
        let err = source.next_batch(100_000).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: ", dir.join("cut.fq.gz").display())),
            "{err}"
        );
        assert!(err.contains("truncated"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
