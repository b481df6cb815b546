//! The index file (`<reference>.hix`): a header naming what it was built
//! from, then the contigs, the reference packed two bits a base and the seed
//! tables, each array aligned so a memory map reads it in place.
//!
//! Layout (little-endian): the [`HEADER_LENGTH`]-byte header; per contig its
//! name length (u32), name, length (u32) and circular flag (u8); the `N` runs
//! (count u64, then start and length u32 pairs); the packed bases; then per
//! table its bucket bits (u32), 4 bytes of padding, its entry count (u64),
//! the bucket bounds (u32) and the entries (u64). Every part after the
//! contigs starts on a multiple of 8. The header's checksum covers the body.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use memmap2::Mmap;

use super::checksum::Checksum;
use super::index::{Concatenated, IndexOptions};
use super::kmer_table::{KmerTable, MAX_INDEXED_OCCURRENCES};
use super::packed::pack;
use super::table_build::{IndexProgress, IndexStage, ProgressSink};
use super::words::{Word, Words};
use super::ReferenceIndex;

const MAGIC: &[u8; 8] = b"HELIXHIX";
/// Raised whenever the layout or the sampling changes meaning.
pub(super) const FORMAT_VERSION: u32 = 1;
/// Written as a u32: read back otherwise, the file is of another byte order.
const BYTE_ORDER: u32 = 0x0102_0304;
const HEADER_LENGTH: usize = 96;

/// Size and modification time of the reference file an index was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceStamp {
    /// File size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: u64,
}

/// Why a saved index file is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Rejection {
    /// It was built from another reference file, version or options.
    Stale(String),
    /// It is damaged (truncated, wrong checksum, inconsistent).
    Corrupt(String),
}

/// The fixed part of the file: what the index was built from and with.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Header {
    source: SourceStamp,
    /// Long k, window, short k (0 without), short stride, occurrence cap.
    parameters: [u32; 5],
    contigs: u32,
    total_length: u64,
    body_length: u64,
    checksum: u64,
}

impl Header {
    fn to_bytes(&self) -> [u8; HEADER_LENGTH] {
        let mut bytes = [0u8; HEADER_LENGTH];
        bytes[..8].copy_from_slice(MAGIC);
        let mut put = |at: usize, value: &[u8]| bytes[at..at + value.len()].copy_from_slice(value);
        put(8, &FORMAT_VERSION.to_le_bytes());
        put(12, &BYTE_ORDER.to_le_bytes());
        put(16, &self.source.size.to_le_bytes());
        put(24, &self.source.modified_ns.to_le_bytes());
        for (i, p) in self.parameters.iter().enumerate() {
            put(32 + 4 * i, &p.to_le_bytes());
        }
        put(52, &self.contigs.to_le_bytes());
        put(56, &self.total_length.to_le_bytes());
        put(64, &self.body_length.to_le_bytes());
        put(72, &self.checksum.to_le_bytes());
        bytes
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, Rejection> {
        let corrupt = || Rejection::Corrupt("shorter than its header".into());
        let u32_at = |at: usize| -> Result<u32, Rejection> {
            let word = bytes.get(at..at + 4).ok_or_else(corrupt)?;
            Ok(u32::from_le_bytes(word.try_into().expect("4 bytes")))
        };
        let u64_at = |at: usize| -> Result<u64, Rejection> {
            let word = bytes.get(at..at + 8).ok_or_else(corrupt)?;
            Ok(u64::from_le_bytes(word.try_into().expect("8 bytes")))
        };
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(Rejection::Corrupt("not a helix index file".into()));
        }
        let version = u32_at(8)?;
        if version != FORMAT_VERSION || u32_at(12)? != BYTE_ORDER {
            return Err(Rejection::Stale(format!(
                "it has format {version}, this build reads {FORMAT_VERSION}"
            )));
        }
        let mut parameters = [0u32; 5];
        for (i, p) in parameters.iter_mut().enumerate() {
            *p = u32_at(32 + 4 * i)?;
        }
        Ok(Header {
            source: SourceStamp {
                size: u64_at(16)?,
                modified_ns: u64_at(24)?,
            },
            parameters,
            contigs: u32_at(52)?,
            total_length: u64_at(56)?,
            body_length: u64_at(64)?,
            checksum: u64_at(72)?,
        })
    }
}

/// The parameters an index built with `options` over `total` bases records.
fn parameters(options: &IndexOptions, total: usize) -> [u32; 5] {
    let specs = options.table_specs(total);
    let short = specs.get(1);
    [
        options.kmer_length as u32,
        specs[0].sampling.parameter() as u32,
        short.map_or(0, |s| s.kmer_length as u32),
        short.map_or(0, |s| s.sampling.parameter() as u32),
        MAX_INDEXED_OCCURRENCES as u32,
    ]
}

/// The bytes of a slice of plain integers, as stored (little-endian).
fn bytes_of<T: Word>(values: &[T]) -> &[u8] {
    // SAFETY: `T` is a plain integer without padding; the slice's memory is
    // valid for its length in bytes. The file is read back only on machines
    // of the byte order its header records.
    unsafe { std::slice::from_raw_parts(values.as_ptr() as *const u8, size_of_val(values)) }
}

/// Writes the body, counting its length and checksum, reporting progress.
struct BodyWriter<'a> {
    out: BufWriter<File>,
    checksum: Checksum,
    length: u64,
    total: u64,
    progress: ProgressSink<'a>,
}

impl BodyWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        for piece in bytes.chunks(1 << 24) {
            self.out.write_all(piece)?;
            self.checksum.update(piece);
            self.length += piece.len() as u64;
            (self.progress)(IndexProgress {
                stage: IndexStage::Saving,
                done: self.length,
                total: self.total,
            });
        }
        Ok(())
    }

    fn pad(&mut self) -> io::Result<()> {
        let padding = (8 - (self.length % 8) as usize) % 8;
        self.write(&[0u8; 8][..padding])
    }
}

/// Writes `index`, built from the file `source` with `options`, to `path`
/// (a new file).
pub(super) fn write(
    path: &Path,
    index: &ReferenceIndex,
    source: SourceStamp,
    options: &IndexOptions,
    progress: ProgressSink,
) -> io::Result<()> {
    let tables: Vec<&KmerTable> = [Some(index.table()), index.short_table()]
        .into_iter()
        .flatten()
        .collect();
    let total = index.total_length() as u64 / 4
        + tables.iter().map(|t| t.memory_bytes() as u64).sum::<u64>();
    let mut file = File::create(path)?;
    file.write_all(&[0u8; HEADER_LENGTH])?;
    let mut body = BodyWriter {
        out: BufWriter::with_capacity(1 << 20, file),
        checksum: Checksum::default(),
        length: 0,
        total,
        progress,
    };
    for contig in 0..index.contig_count() {
        let name = index.contig_name(contig).as_bytes();
        body.write(&(name.len() as u32).to_le_bytes())?;
        body.write(name)?;
        body.write(&index.contig_length(contig).to_le_bytes())?;
        body.write(&[u8::from(index.is_circular(contig))])?;
    }
    body.pad()?;
    let (packed, runs) = pack(index.global_sequence());
    body.write(&(runs.len() as u64).to_le_bytes())?;
    let runs: Vec<u32> = runs.iter().flat_map(|&(s, l)| [s, l]).collect();
    body.write(bytes_of(&runs))?;
    body.write(&packed)?;
    body.pad()?;
    for table in tables {
        let (starts, entries) = table.arrays();
        body.write(&table.bucket_bits().to_le_bytes())?;
        body.write(&[0u8; 4])?;
        body.write(&(entries.len() as u64).to_le_bytes())?;
        body.write(bytes_of(starts))?;
        body.pad()?;
        body.write(bytes_of(entries))?;
    }
    let header = Header {
        source,
        parameters: parameters(options, index.total_length() as usize),
        contigs: index.contig_count() as u32,
        total_length: index.total_length() as u64,
        body_length: body.length,
        checksum: body.checksum.finish(),
    };
    let mut file = body.out.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(0))?;
    // Not forced to disk: a file a crash leaves incomplete fails its length
    // or checksum check and is rebuilt, which costs less than every save's
    // flush of gigabytes.
    file.write_all(&header.to_bytes())
}

/// Reads the body of a mapped file in order, each part checked to fit.
struct Reader<'a> {
    map: &'a Arc<Mmap>,
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, length: usize) -> Result<&'a [u8], Rejection> {
        let map: &'a Mmap = self.map;
        let end = self.at.checked_add(length).filter(|&e| e <= self.map.len());
        let end = end.ok_or_else(|| Rejection::Corrupt("a part runs past the end".into()))?;
        let bytes = &map[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn u32(&mut self) -> Result<u32, Rejection> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, Rejection> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn align(&mut self) {
        self.at = self.at.next_multiple_of(8);
    }

    fn words<T: Word>(&mut self, length: usize) -> Result<Words<T>, Rejection> {
        let words = Words::mapped(self.map, self.at, length)
            .ok_or_else(|| Rejection::Corrupt("an array runs past the end".into()))?;
        self.at += length * size_of::<T>();
        Ok(words)
    }
}

/// The seed tables of the index file `file`, if it was built from the file
/// `source` with `options` over exactly `reference` with contigs `circular`
/// (in which case the tables are views of the mapped file).
pub(super) fn read(
    file: &File,
    source: SourceStamp,
    options: &IndexOptions,
    reference: &Concatenated,
    circular: &[bool],
    progress: ProgressSink,
) -> Result<(KmerTable, Option<KmerTable>), Rejection> {
    let (names, offsets, sequence) = reference;
    // SAFETY: index files are only ever replaced whole (written aside, then
    // renamed), never changed in place while mapped.
    let map = unsafe { Mmap::map(file) }
        .map_err(|e| Rejection::Corrupt(format!("cannot be mapped: {e}")))?;
    let map = Arc::new(map);
    let header = Header::from_bytes(&map)?;
    if header.source != source {
        return Err(Rejection::Stale("the reference file changed since".into()));
    }
    if header.parameters != parameters(options, sequence.len()) {
        return Err(Rejection::Stale(
            "it was built with other seed options".into(),
        ));
    }
    if header.body_length != (map.len() - HEADER_LENGTH.min(map.len())) as u64 {
        return Err(Rejection::Corrupt(format!(
            "it holds {} bytes, its header says {}",
            map.len(),
            header.body_length as usize + HEADER_LENGTH
        )));
    }
    progress(IndexProgress {
        stage: IndexStage::Checking,
        done: 0,
        total: header.body_length,
    });
    let mut checksum = Checksum::default();
    checksum.update(&map[HEADER_LENGTH..]);
    if checksum.finish() != header.checksum {
        return Err(Rejection::Corrupt("its checksum does not match".into()));
    }
    let mut reader = Reader {
        map: &map,
        at: HEADER_LENGTH,
    };
    let same_contigs =
        header.contigs as usize == names.len() && header.total_length == sequence.len() as u64;
    if !same_contigs {
        return Err(Rejection::Stale("it indexes other contigs".into()));
    }
    for (contig, name) in names.iter().enumerate() {
        let length = reader.u32()? as usize;
        let stored = reader.take(length)?;
        let bases = reader.u32()?;
        let stored_circular = reader.take(1)?[0] == 1;
        if stored != name.as_bytes() || bases != offsets[contig + 1] - offsets[contig] {
            return Err(Rejection::Stale("it indexes other contigs".into()));
        }
        if stored_circular != circular[contig] {
            return Err(Rejection::Stale("other contigs are circular".into()));
        }
    }
    reader.align();
    let (packed, runs) = pack(sequence);
    let run_count = reader.u64()? as usize;
    let stored_runs = reader.take(run_count.saturating_mul(8))?;
    let flat: Vec<u32> = runs.iter().flat_map(|&(s, l)| [s, l]).collect();
    if stored_runs != bytes_of(&flat) || reader.take(packed.len())? != packed.as_slice() {
        return Err(Rejection::Stale(
            "its bases differ from the reference's".into(),
        ));
    }
    reader.align();
    let specs = options.table_specs(sequence.len());
    let mut tables = Vec::new();
    for spec in &specs {
        let bucket_bits = reader.u32()?;
        reader.take(4)?;
        let entries = reader.u64()? as usize;
        if !(1..=32).contains(&bucket_bits) {
            return Err(Rejection::Corrupt("a table has an impossible size".into()));
        }
        let starts = reader.words::<u32>((1usize << bucket_bits) + 1)?;
        reader.align();
        let entries = reader.words::<u64>(entries)?;
        let table = KmerTable::from_parts(
            spec.kmer_length,
            spec.sampling,
            bucket_bits,
            starts,
            entries,
        )
        .ok_or_else(|| Rejection::Corrupt("a table's buckets are inconsistent".into()))?;
        tables.push(table);
    }
    if reader.at != map.len() {
        return Err(Rejection::Corrupt(
            "it has bytes past its last table".into(),
        ));
    }
    let short = (tables.len() > 1).then(|| tables.remove(1));
    Ok((tables.remove(0), short))
}
