//! Sampling reads (single or paired, with errors) from a mutated sample.

use std::sync::Arc;

use super::bases::{reverse_complement, substitute};
use super::buffers::push_decimal;
use super::fragments::{Fragment, FragmentOrigins};
use super::{ErrorModel, Sample};
use crate::batch::Batch;
use crate::error::{check_rate, HelixError, Result};
use crate::rng::{Rng, Stream};

/// How to sample reads.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions {
    /// Bases per read.
    pub read_length: usize,
    /// Mate pairs instead of single reads.
    pub paired: bool,
    /// Mean fragment (insert) length of pairs.
    pub insert_mean: u32,
    /// Spread of the fragment length (standard deviation).
    pub insert_sd: u32,
    /// Mean substitution error rate per base.
    pub error_rate: f64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            read_length: 150,
            paired: false,
            insert_mean: 500,
            insert_sd: 50,
            error_rate: 0.001,
        }
    }
}

/// Samples reads from a [`Sample`], deterministically from a seed.
#[derive(Clone, Debug)]
pub struct ReadSimulator {
    sample: Arc<Sample>,
    options: ReadOptions,
    origins: FragmentOrigins,
    errors: Rng,
    model: ErrorModel,
    fragments: u64,
    batches: u64,
}

impl ReadSimulator {
    /// A simulator over `sample`; fails when no haplotype is as long as a read.
    pub fn new(sample: Arc<Sample>, options: ReadOptions, seed: u64) -> Result<Self> {
        check_rate("errorRate", options.error_rate)?;
        if options.read_length == 0 {
            return Err(HelixError::option("readLength", "must be at least 1"));
        }
        if options.read_length > u32::MAX as usize / 4 {
            return Err(HelixError::option(
                "readLength",
                format!("{} is too long", options.read_length),
            ));
        }
        if options.paired && options.insert_mean == 0 {
            return Err(HelixError::option("insertMean", "must be at least 1"));
        }
        let total_length = sample.reference_length();
        if total_length == 0 {
            return Err(HelixError::option("reference", "has no bases"));
        }
        if total_length > 1 << 32 {
            return Err(HelixError::option(
                "reference",
                format!("has {total_length} bases; the simulator supports up to 2^32"),
            ));
        }
        let longest = sample
            .contigs
            .iter()
            .flat_map(|c| c.haplotypes.iter().map(|h| h.len()))
            .max()
            .unwrap_or(0);
        if longest < options.read_length {
            let contig = sample
                .contigs
                .iter()
                .max_by_key(|c| c.reference_length)
                .expect("a sample has contigs");
            return Err(HelixError::option(
                "readLength",
                format!(
                    "{} is longer than the reference (longest sequence '{}' has {} bases)",
                    options.read_length, contig.name, contig.reference_length
                ),
            ));
        }
        Ok(Self {
            model: ErrorModel::new(options.read_length, options.error_rate),
            origins: FragmentOrigins::new(&sample, total_length, seed),
            sample,
            options,
            errors: Rng::new(seed, Stream::Errors),
            fragments: 0,
            batches: 0,
        })
    }

    /// Fragments (reads, or pairs) simulated so far.
    pub fn fragments(&self) -> u64 {
        self.fragments
    }

    /// The options in force.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// The sample reads come from.
    pub fn sample(&self) -> &Arc<Sample> {
        &self.sample
    }

    /// Simulates `fragments` reads (or pairs) into a new batch.
    pub fn next_batch(&mut self, fragments: usize) -> Batch {
        let reads = if self.options.paired {
            fragments * 2
        } else {
            fragments
        };
        let mut batch = Batch::with_capacity(reads, self.options.read_length);
        self.fill_batch(&mut batch, fragments);
        batch
    }

    /// Simulates `fragments` reads (or pairs) into `batch`, replacing its
    /// reads but keeping its memory.
    pub fn fill_batch(&mut self, batch: &mut Batch, fragments: usize) {
        let reads = if self.options.paired {
            fragments * 2
        } else {
            fragments
        };
        batch.clear();
        batch.bases.reserve(reads * self.options.read_length);
        batch.qualities.reserve(reads * self.options.read_length);
        batch.offsets.reserve(reads);
        batch.name_offsets.reserve(reads);
        batch.sequence = self.batches;
        batch.first_read = if self.options.paired {
            self.fragments * 2
        } else {
            self.fragments
        };
        batch.paired = self.options.paired;
        self.batches += 1;
        for _ in 0..fragments {
            self.push_fragment(batch);
        }
    }

    fn push_fragment(&mut self, batch: &mut Batch) {
        let Fragment {
            contig,
            haplotype: h,
            start,
            length: fragment,
            reverse,
        } = self.origins.next(&self.sample, &self.options);
        let read_length = self.options.read_length;
        let sample = Arc::clone(&self.sample);
        let contig = &sample.contigs[contig];
        let hap = &contig.haplotypes[h];
        let end = start + fragment;
        // (window start, reverse-complemented) of each read, in mate order.
        let windows: [(usize, bool); 2] = if !self.options.paired {
            [(start, reverse), (0, false)]
        } else if reverse {
            [(end - read_length, true), (start, false)]
        } else {
            [(start, false), (end - read_length, true)]
        };
        let reads = if self.options.paired { 2 } else { 1 };
        for (mate, &(from, rc)) in windows[..reads].iter().enumerate() {
            let offset = batch.bases.len();
            let window = &hap[from..from + read_length];
            if rc {
                batch.bases.resize(offset + read_length, 0);
                reverse_complement(window, &mut batch.bases[offset..]);
            } else {
                batch.bases.extend_from_slice(window);
            }
            self.add_errors(&mut batch.bases[offset..]);
            batch.qualities.extend_from_slice(&self.model.qualities);
            let names = &mut batch.names;
            push_decimal(names, self.fragments);
            names.extend_from_slice(&[b':', b'1' + h as u8, b':']);
            push_decimal(names, start as u64 + 1);
            names.push(b'-');
            push_decimal(names, end as u64);
            names.extend_from_slice(if reverse { b":-:" } else { b":+:" });
            names.extend_from_slice(contig.name.as_bytes());
            if self.options.paired {
                names.extend_from_slice(if mate == 0 { b"/1" } else { b"/2" });
            }
            batch.end_read();
        }
        self.fragments += 1;
    }

    #[inline]
    fn add_errors(&mut self, read: &mut [u8]) {
        let u = u64::from(self.errors.next_u32());
        let counts = &self.model.count_thresholds;
        let mut errors = 0;
        while u >= counts[errors] {
            errors += 1;
        }
        for _ in 0..errors {
            let u = u64::from(self.errors.next_u32());
            let cycle = self.model.cycle_thresholds.partition_point(|&t| t <= u);
            let choice = self.errors.below(3);
            read[cycle] = substitute(read[cycle], choice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{mutate, reference, simulator};
    use super::super::COMPLEMENT;
    use super::*;
    use crate::reference::Reference;

    #[test]
    fn reads_match_their_origin_without_errors() {
        let r = reference(50_000);
        let sample = mutate(&r, 0.005, 0.2);
        for paired in [false, true] {
            let options = ReadOptions {
                read_length: 100,
                paired,
                error_rate: 0.0,
                ..ReadOptions::default()
            };
            let mut sim = simulator(sample.clone(), options);
            let batch = sim.next_batch(500);
            assert_eq!(batch.len(), if paired { 1000 } else { 500 });
            for i in 0..batch.len() {
                let read = batch.read(i);
                let name = std::str::from_utf8(read.name).unwrap();
                let fields: Vec<&str> = name.split(':').collect();
                let h: usize = fields[1].parse::<usize>().unwrap() - 1;
                let (s, e) = fields[2].split_once('-').unwrap();
                let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
                let hap = &sample.contigs[0].haplotypes[h];
                let mate2 = name.ends_with("/2");
                let forward_first = fields[3] == "+";
                let from_start = if paired { mate2 != forward_first } else { true };
                let rc = if paired { !from_start } else { !forward_first };
                let from = if from_start { s - 1 } else { e - 100 };
                let mut expected = hap[from..from + 100].to_vec();
                if rc {
                    expected = expected
                        .iter()
                        .rev()
                        .map(|&b| COMPLEMENT[b as usize])
                        .collect();
                }
                assert_eq!(read.bases, &expected[..], "{name}");
            }
        }
    }

    #[test]
    fn batches_do_not_change_the_stream() {
        let r = reference(10_000);
        let sample = mutate(&r, 0.001, 0.15);
        let options = ReadOptions::default();
        let mut a = simulator(sample.clone(), options);
        let mut b = simulator(sample, options);
        let whole = a.next_batch(100);
        let mut parts = Vec::new();
        for n in [30, 1, 69] {
            let part = b.next_batch(n);
            parts.extend((0..part.len()).map(|i| {
                let r = part.read(i);
                (r.name.to_vec(), r.bases.to_vec(), r.qualities.to_vec())
            }));
        }
        let all: Vec<_> = (0..whole.len())
            .map(|i| {
                let r = whole.read(i);
                (r.name.to_vec(), r.bases.to_vec(), r.qualities.to_vec())
            })
            .collect();
        assert_eq!(all, parts);
    }

    #[test]
    fn read_length_longer_than_the_reference_is_refused() {
        let r = reference(100);
        let err = ReadSimulator::new(Arc::new(mutate(&r, 0.0, 0.0)), ReadOptions::default(), 1)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("readLength: 150 is longer than the reference"),
            "{err}"
        );
    }

    #[test]
    fn reads_avoid_n_runs() {
        let mut text = String::from(">c\n");
        text.push_str(&"N".repeat(5000));
        text.push_str(&"ACGT".repeat(250));
        let r = Reference::parse_fasta(text.as_bytes(), "n.fa").unwrap();
        let mut sim = simulator(
            mutate(&r, 0.0, 0.0),
            ReadOptions {
                read_length: 50,
                error_rate: 0.0,
                ..ReadOptions::default()
            },
        );
        let batch = sim.next_batch(200);
        let n_reads = (0..batch.len())
            .filter(|&i| batch.read(i).bases.contains(&b'N'))
            .count();
        // 5/6 of starts land in N; after 8 attempts (5/6)^9 ≈ 19 % still do.
        assert!(n_reads < 80, "{n_reads}");
    }
}
