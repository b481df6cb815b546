//! Building seed tables: each is a counting sort of the reference's samples
//! into hash buckets, in two passes, the reference split between threads.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use super::kmer_table::{KmerTable, MAX_INDEXED_OCCURRENCES};
use super::sampling::{for_each_sample, Sampling};
use super::words::Words;

/// What an index build is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexStage {
    /// Checking a saved index file before using it.
    Checking,
    /// Sampling the reference's k-mers (`done` of `total` bases).
    Sampling,
    /// Sorting the samples into buckets (`done` of `total` tables).
    Bucketing,
    /// Writing the index file (`done` of `total` bytes).
    Saving,
}

/// Progress of an index build, reported now and then from its threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexProgress {
    /// The current stage.
    pub stage: IndexStage,
    /// Work done in this stage.
    pub done: u64,
    /// Work of the whole stage.
    pub total: u64,
}

/// Receives [`IndexProgress`] from any build thread.
pub type ProgressSink<'a> = &'a (dyn Fn(IndexProgress) + Sync);

/// Bases sampled between two progress reports of one thread.
const PROGRESS_STEP: usize = 1 << 22;

/// One table to build: its k-mer length and sampling.
#[derive(Debug, Clone, Copy)]
pub(super) struct TableSpec {
    pub(super) kmer_length: usize,
    pub(super) sampling: Sampling,
}

/// Builds the tables `specs` over `sequence` (contigs at `offsets`, plus the
/// total length), one after the other, each on `threads` threads.
///
/// Each table is a counting sort in two passes over the reference, each
/// thread taking one piece of it: the first pass counts each piece's samples
/// per bucket, the second writes every sample straight into its place.
/// Sampling twice costs a few seconds per 100 Mbp; holding the samples aside
/// until they are bucketed (12 bytes a sample, besides the table's 8) took
/// more memory than the finished index.
pub(super) fn build_tables(
    sequence: &[u8],
    offsets: &[u32],
    specs: &[TableSpec],
    threads: usize,
    progress: ProgressSink,
) -> Vec<KmerTable> {
    let work = Work {
        sampled: AtomicU64::new(0),
        total: (2 * sequence.len() * specs.len()) as u64,
        built: AtomicU64::new(0),
        tables: specs.len() as u64,
        progress,
    };
    let total = sequence.len();
    let piece = total.div_ceil(threads.max(1)).max(1);
    let pieces: Vec<Range<usize>> = (0..total)
        .step_by(piece)
        .map(|start| start..(start + piece).min(total))
        .collect();
    specs
        .iter()
        .map(|spec| build_table(sequence, offsets, spec, &pieces, &work))
        .collect()
}

/// The progress of a build, shared by its threads.
struct Work<'a> {
    sampled: AtomicU64,
    total: u64,
    built: AtomicU64,
    tables: u64,
    progress: ProgressSink<'a>,
}

impl Work<'_> {
    fn sampled(&self, bases: usize) {
        let done = self.sampled.fetch_add(bases as u64, Ordering::Relaxed) + bases as u64;
        (self.progress)(IndexProgress {
            stage: IndexStage::Sampling,
            done,
            total: self.total,
        });
    }

    fn built(&self) {
        (self.progress)(IndexProgress {
            stage: IndexStage::Bucketing,
            done: self.built.fetch_add(1, Ordering::Relaxed) + 1,
            total: self.tables,
        });
    }
}

/// Samples held before they are counted or placed: the random accesses to
/// the counts and the table then come in a tight loop of their own, many at
/// once in flight, instead of one between every two samples' hashing.
const BATCH: usize = 1 << 14;

/// Calls `place` with batches of `(hash, entry)` of the samples of `spec` in
/// `range`, reporting progress every [`PROGRESS_STEP`] bases.
fn sample_piece(
    sequence: &[u8],
    offsets: &[u32],
    spec: &TableSpec,
    range: Range<usize>,
    work: &Work,
    mut place: impl FnMut(&[(u64, u64)]),
) {
    let mut batch = Vec::with_capacity(BATCH);
    for step in range.clone().step_by(PROGRESS_STEP) {
        let end = (step + PROGRESS_STEP).min(range.end);
        for_each_sample(
            sequence,
            offsets,
            spec.kmer_length,
            spec.sampling,
            step..end,
            |position, hash, orientation| {
                let entry = (hash & 0xffff_ffff) << 32 | (position as u64) << 1 | orientation;
                batch.push((hash, entry));
                if batch.len() == BATCH {
                    place(&batch);
                    batch.clear();
                }
            },
        );
        work.sampled(end - step);
    }
    place(&batch);
}

/// Runs `task` on each of `pieces` in a thread of its own, results in order.
fn on_threads<T: Send>(
    pieces: &[Range<usize>],
    task: impl Fn(usize, Range<usize>) -> T + Sync,
) -> Vec<T> {
    thread::scope(|scope| {
        let task = &task;
        let handles: Vec<_> = pieces
            .iter()
            .enumerate()
            .map(|(i, range)| scope.spawn(move || task(i, range.clone())))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an index-building thread panicked"))
            .collect()
    })
}

/// Bits of the bucket number for `count` samples: one to four per bucket.
fn bucket_bits_for(count: usize) -> u32 {
    (usize::BITS - count.max(1).leading_zeros())
        .saturating_sub(2)
        .clamp(8, 32)
}

/// At least as many samples as `spec` takes of `length` bases of random
/// sequence (twice the expected density of minimizers), to size the first
/// pass's counts; a reference with more only fills its buckets fuller.
fn samples_bound(spec: &TableSpec, length: usize) -> usize {
    match spec.sampling {
        Sampling::Stride { stride } => length / stride + 1,
        Sampling::Minimizers { window } => 4 * length / (window + 1) + 1,
    }
}

/// The table's entries, written by several threads at once, each to slots
/// no other thread writes.
struct SharedEntries(*mut u64);

// SAFETY: the threads of `build_table` write disjoint slots (each bucket's
// range is split between them by their counts) and nobody reads until they
// are joined.
unsafe impl Sync for SharedEntries {}

/// Builds one table: counts each piece's samples per bucket, places them,
/// then drops the k-mers occurring more than [`MAX_INDEXED_OCCURRENCES`]
/// times.
fn build_table(
    sequence: &[u8],
    offsets: &[u32],
    spec: &TableSpec,
    pieces: &[Range<usize>],
    work: &Work,
) -> KmerTable {
    let fine_bits = bucket_bits_for(samples_bound(spec, sequence.len()));
    let fine_counts = on_threads(pieces, |_, range| {
        let mut fine = vec![0u32; 1usize << fine_bits];
        sample_piece(sequence, offsets, spec, range, work, |batch| {
            for &(hash, _) in batch {
                fine[(hash >> (64 - fine_bits)) as usize] += 1;
            }
        });
        fine
    });
    let count: usize = fine_counts.iter().flatten().map(|&c| c as usize).sum();
    let bucket_bits = bucket_bits_for(count).min(fine_bits);
    let buckets = 1usize << bucket_bits;
    let merged = 1usize << (fine_bits - bucket_bits);
    // Each piece's count per (coarser) bucket, turned into where its samples
    // of that bucket start: the bucket's start plus the earlier pieces' counts.
    let mut cursors: Vec<Vec<u32>> = fine_counts
        .into_iter()
        .map(|fine| fine.chunks(merged).map(|c| c.iter().sum()).collect())
        .collect();
    let mut starts = vec![0u32; buckets + 1];
    let mut running = 0u32;
    for (bucket, start) in starts.iter_mut().take(buckets).enumerate() {
        *start = running;
        for piece in cursors.iter_mut() {
            let counted = piece[bucket];
            piece[bucket] = running;
            running += counted;
        }
    }
    starts[buckets] = running;
    let mut entries = vec![0u64; count];
    let shared = SharedEntries(entries.as_mut_ptr());
    let cursors = std::sync::Mutex::new(cursors.into_iter().map(Some).collect::<Vec<_>>());
    on_threads(pieces, |i, range| {
        let mut cursor = cursors.lock().expect("cursors")[i]
            .take()
            .expect("one thread per piece");
        let shared = &shared;
        sample_piece(sequence, offsets, spec, range, work, |batch| {
            for &(hash, entry) in batch {
                let bucket = (hash >> (64 - bucket_bits)) as usize;
                let slot = cursor[bucket] as usize;
                cursor[bucket] += 1;
                assert!(slot < count, "the second pass sampled more than the first");
                // SAFETY: `slot` is below `count` and lies in this piece's
                // share of the bucket, written by no other thread.
                unsafe { shared.0.add(slot).write(entry) };
            }
        });
    });
    drop_repeats(&mut starts, &mut entries);
    let table = KmerTable::from_parts(
        spec.kmer_length,
        spec.sampling,
        bucket_bits,
        Words::owned(starts),
        Words::owned(entries),
    );
    work.built();
    table.expect("a freshly bucketed table is consistent")
}

/// Sorts each bucket by check then position and removes the k-mers with
/// more than [`MAX_INDEXED_OCCURRENCES`] entries, compacting the buckets.
fn drop_repeats(starts: &mut [u32], entries: &mut Vec<u64>) {
    let buckets = starts.len() - 1;
    let mut kept = 0usize;
    for b in 0..buckets {
        let (from, to) = (starts[b] as usize, starts[b + 1] as usize);
        starts[b] = kept as u32;
        entries[from..to].sort_unstable();
        let mut i = from;
        while i < to {
            let check = entries[i] >> 32;
            let run = entries[i..to]
                .iter()
                .take_while(|&&e| e >> 32 == check)
                .count();
            if run <= MAX_INDEXED_OCCURRENCES {
                entries.copy_within(i..i + run, kept);
                kept += run;
            }
            i += run;
        }
    }
    starts[buckets] = kept as u32;
    entries.truncate(kept);
    entries.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::simulation::Rng;

    #[test]
    fn builds_the_same_table_on_any_number_of_threads_and_drops_repeats() {
        let mut sequence = Rng::new(9).bases(50_000);
        // A k-mer in more places than the cap: a long run of one base.
        sequence[10_000..12_000].fill(b'A');
        let offsets = [0, 20_000, 50_000];
        let spec = TableSpec {
            kmer_length: 19,
            sampling: Sampling::Stride { stride: 1 },
        };
        let quiet = |_: IndexProgress| {};
        let one = build_tables(&sequence, &offsets, &[spec], 1, &quiet);
        let three = build_tables(&sequence, &offsets, &[spec], 3, &quiet);
        assert_eq!(one[0].arrays(), three[0].arrays());
        let (_, entries) = one[0].arrays();
        let poly_a = |p: usize| sequence[p..p + 19].iter().all(|&b| b == b'A');
        let kmers: Vec<usize> = (0..50_000 - 18)
            .filter(|&p| p + 19 <= 20_000 || p >= 20_000)
            .collect();
        let repeats = kmers.iter().filter(|&&p| poly_a(p)).count();
        assert!(repeats > MAX_INDEXED_OCCURRENCES);
        assert!(entries
            .iter()
            .all(|&e| !poly_a(((e & 0xffff_ffff) >> 1) as usize)));
        assert_eq!(entries.len(), kmers.len() - repeats);
    }
}
