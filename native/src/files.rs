//! Opening inputs (plain or gzip, detected by content) and outputs (gzip when
//! the name ends in `.gz`).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use crate::error::{HelixError, Result};

/// Size of the read buffer for inputs.
pub const READ_BUFFER: usize = 1 << 20;

/// Opens `path` for reading, transparently decompressing gzip (including
/// concatenated members, as written by bgzip).
pub fn open_input(path: &Path) -> Result<Box<dyn Read + Send>> {
    let file = File::open(path).map_err(|e| HelixError::io(path, e))?;
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let head = reader.fill_buf().map_err(|e| HelixError::io(path, e))?;
    if head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b {
        Ok(Box::new(MultiGzDecoder::new(reader)))
    } else {
        Ok(Box::new(reader))
    }
}

/// Gzip level used for `.gz` outputs: fast, because simulated FASTQ is large.
pub const GZIP_LEVEL: u32 = 1;

enum Sink {
    Plain(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(w) => w.write(buf),
            Sink::Gzip(w) => w.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(buf),
            Sink::Gzip(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Gzip(w) => w.flush(),
        }
    }
}

/// An output file; gzip-compressed when its name ends in `.gz`. Errors name
/// the file.
pub struct Output {
    path: String,
    sink: Sink,
}

impl Output {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|e| HelixError::io(path, e))?;
        let buffered = BufWriter::with_capacity(READ_BUFFER, file);
        let sink = if path.extension().is_some_and(|ext| ext == "gz") {
            // flate2 writes mtime 0 and no file name: byte-identical output.
            Sink::Gzip(GzEncoder::new(buffered, Compression::new(GZIP_LEVEL)))
        } else {
            Sink::Plain(buffered)
        };
        Ok(Self {
            path: path.display().to_string(),
            sink,
        })
    }

    /// Writes all of `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.sink
            .write_all(bytes)
            .map_err(|e| HelixError::io(&self.path, e))
    }

    /// Path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Flushes and closes, writing the gzip trailer.
    pub fn finish(self) -> Result<()> {
        let path = self.path;
        let result = match self.sink {
            Sink::Plain(mut w) => w.flush(),
            Sink::Gzip(w) => w.finish().and_then(|mut inner| inner.flush()),
        };
        result.map_err(|e| HelixError::io(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn gz_outputs_round_trip_through_open_input() {
        let dir = std::env::temp_dir().join(format!("helix-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.txt", "a.txt.gz"] {
            let path = dir.join(name);
            let mut out = Output::create(&path).unwrap();
            out.write_all(b"hello\n").unwrap();
            out.finish().unwrap();
            let mut text = String::new();
            open_input(&path)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            assert_eq!(text, "hello\n");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_input_names_the_file() {
        let err = open_input(Path::new("/nonexistent/ref.fa")).err().unwrap();
        assert!(err.to_string().starts_with("/nonexistent/ref.fa: "));
    }
}
