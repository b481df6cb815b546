//! FASTQ files as one stream of batches: one after another, or mates in
//! lockstep.

use std::path::PathBuf;

use super::reader::FastqReader;
use super::MAX_BATCH_BASES;
use crate::batch::Batch;
use crate::error::{HelixError, Result};

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
    use std::path::Path;

    use super::*;

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
