//! Building seed tables in parallel: the reference is sampled in one piece
//! per thread, then each table is bucketed (one thread per table).

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

/// One thread's samples of one table: entries and the top half of each hash.
#[derive(Default)]
struct Samples {
    entries: Vec<u64>,
    high: Vec<u32>,
}

/// Builds the tables `specs` over `sequence` (contigs at `offsets`, plus the
/// total length) on `threads` threads.
pub(super) fn build_tables(
    sequence: &[u8],
    offsets: &[u32],
    specs: &[TableSpec],
    threads: usize,
    progress: ProgressSink,
) -> Vec<KmerTable> {
    let threads = threads.max(1);
    let total = sequence.len();
    let work = (total * specs.len()) as u64;
    let sampled = AtomicU64::new(0);
    let piece = total.div_ceil(threads);
    let per_thread: Vec<Vec<Samples>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let range = (t * piece).min(total)..((t + 1) * piece).min(total);
                let sampled = &sampled;
                scope.spawn(move || {
                    specs
                        .iter()
                        .map(|spec| {
                            let mut samples = Samples::default();
                            let mut since_report = 0;
                            for step in range.clone().step_by(PROGRESS_STEP) {
                                let end = (step + PROGRESS_STEP).min(range.end);
                                sample_range(sequence, offsets, spec, step..end, &mut samples);
                                since_report += end - step;
                                let done =
                                    sampled.fetch_add(since_report as u64, Ordering::Relaxed);
                                since_report = 0;
                                progress(IndexProgress {
                                    stage: IndexStage::Sampling,
                                    done: done + (end - step) as u64,
                                    total: work,
                                });
                            }
                            samples
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a sampling thread panicked"))
            .collect()
    });
    // Regroup by table, keeping the pieces in reference order.
    let mut by_table: Vec<Vec<Samples>> = (0..specs.len()).map(|_| Vec::new()).collect();
    for pieces in per_thread {
        for (table, samples) in pieces.into_iter().enumerate() {
            by_table[table].push(samples);
        }
    }
    let bucketed = AtomicU64::new(0);
    thread::scope(|scope| {
        let handles: Vec<_> = specs
            .iter()
            .zip(by_table)
            .map(|(spec, pieces)| {
                let bucketed = &bucketed;
                scope.spawn(move || {
                    let table = bucket(spec, pieces);
                    progress(IndexProgress {
                        stage: IndexStage::Bucketing,
                        done: bucketed.fetch_add(1, Ordering::Relaxed) + 1,
                        total: specs.len() as u64,
                    });
                    table
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a bucketing thread panicked"))
            .collect()
    })
}

/// Appends the samples of `spec` at positions in `range` to `samples`.
fn sample_range(
    sequence: &[u8],
    offsets: &[u32],
    spec: &TableSpec,
    range: std::ops::Range<usize>,
    samples: &mut Samples,
) {
    for_each_sample(
        sequence,
        offsets,
        spec.kmer_length,
        spec.sampling,
        range,
        |position, hash, orientation| {
            samples
                .entries
                .push((hash & 0xffff_ffff) << 32 | (position as u64) << 1 | orientation);
            samples.high.push((hash >> 32) as u32);
        },
    );
}

/// Buckets the samples (one to four per bucket on average), drops the
/// k-mers occurring more than [`MAX_INDEXED_OCCURRENCES`] times.
fn bucket(spec: &TableSpec, pieces: Vec<Samples>) -> KmerTable {
    let count: usize = pieces.iter().map(|p| p.entries.len()).sum();
    let bucket_bits = (usize::BITS - count.max(1).leading_zeros())
        .saturating_sub(2)
        .clamp(8, 32);
    let bucket_of = |high: u32| (u64::from(high) >> (32 - bucket_bits)) as usize;
    let mut starts = vec![0u32; (1usize << bucket_bits) + 1];
    for piece in &pieces {
        for &high in &piece.high {
            starts[bucket_of(high)] += 1;
        }
    }
    // Inclusive prefix sums; filling backwards decrements each bucket's end
    // down to its start, which leaves the samples in position order.
    let mut running = 0u32;
    for start in starts.iter_mut() {
        running += *start;
        *start = running;
    }
    let mut entries = vec![0u64; count];
    for piece in pieces.into_iter().rev() {
        for (&entry, &high) in piece.entries.iter().zip(&piece.high).rev() {
            let bucket = bucket_of(high);
            starts[bucket] -= 1;
            entries[starts[bucket] as usize] = entry;
        }
    }
    drop_repeats(&mut starts, &mut entries);
    let table = KmerTable::from_parts(
        spec.kmer_length,
        spec.sampling,
        bucket_bits,
        Words::owned(starts),
        Words::owned(entries),
    );
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
