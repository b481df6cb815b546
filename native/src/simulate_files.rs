//! `helix simulate`: reference, mutated sample, truth VCF and FASTQ files in
//! one call, with progress and cancellation. Same options → byte-identical
//! files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{HelixError, Result};
use crate::files::Output;
use crate::reference::Reference;
use crate::simulate::{MutationOptions, ReadOptions, ReadSimulator, Sample, VariantKind};

/// Where the reference comes from.
#[derive(Clone, Debug)]
pub enum ReferenceSource {
    /// A FASTA file (plain or gzip).
    Fasta(PathBuf),
    /// A random reference of this many bases, one contig named `name`.
    Random {
        /// Bases.
        length: u64,
        /// Contig name.
        name: String,
    },
}

/// Everything `helix simulate` needs.
#[derive(Clone, Debug)]
pub struct SimulateFiles {
    /// The reference.
    pub reference: ReferenceSource,
    /// Write the reference here as FASTA (60 bases per line).
    pub reference_out: Option<PathBuf>,
    /// Reads to write; pairs when `out2` is set.
    pub reads: u64,
    /// Read options (`paired` is taken from `out2`).
    pub read_options: ReadOptions,
    /// Mutation options.
    pub mutation_options: MutationOptions,
    /// Seed of every random draw.
    pub seed: u64,
    /// FASTQ of single reads or first mates (`.gz` → gzip).
    pub out: PathBuf,
    /// FASTQ of second mates; its presence means paired reads.
    pub out2: Option<PathBuf>,
    /// Truth VCF.
    pub truth: Option<PathBuf>,
}

/// Progress of a simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Reads (or pairs) written so far.
    pub done: u64,
    /// Reads (or pairs) to write.
    pub total: u64,
}

/// What a simulation wrote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimulateSummary {
    /// Reads written (mates count one each).
    pub reads: u64,
    /// Bases written.
    pub bases: u64,
    /// Contigs and total length of the reference.
    pub contigs: usize,
    /// Total reference length.
    pub reference_length: u64,
    /// Injected variants by kind.
    pub snvs: u64,
    /// Insertions injected.
    pub insertions: u64,
    /// Deletions injected.
    pub deletions: u64,
    /// Wall time.
    pub elapsed: Duration,
}

/// Fragments per batch written at a time.
const FRAGMENTS_PER_BATCH: usize = 4096;

/// Runs the simulation; `progress` is called at most about ten times a second
/// and once at the end; `cancel` stops it between batches.
pub fn simulate_files(
    options: &SimulateFiles,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<SimulateSummary> {
    let started = Instant::now();
    let reference = match &options.reference {
        ReferenceSource::Fasta(path) => Reference::load_fasta(path)?,
        ReferenceSource::Random { length, name } => Reference::random(*length, options.seed, name)?,
    };
    let sample = Arc::new(Sample::mutate(
        &reference,
        &options.mutation_options,
        options.seed,
    )?);
    let read_options = ReadOptions {
        paired: options.out2.is_some(),
        ..options.read_options
    };
    let mut simulator = ReadSimulator::new(Arc::clone(&sample), read_options, options.seed)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(HelixError::Aborted);
    }
    if let Some(path) = &options.reference_out {
        let mut out = Output::create(path)?;
        reference.write_fasta(&mut out, 60)?;
        out.finish()?;
    }
    if let Some(path) = &options.truth {
        let mut out = Output::create(path)?;
        sample.write_truth_vcf(&mut out)?;
        out.finish()?;
    }
    let mut first = Output::create(&options.out)?;
    let mut second = options.out2.as_deref().map(Output::create).transpose()?;
    let mut text = Vec::with_capacity(FRAGMENTS_PER_BATCH * (read_options.read_length * 2 + 64));
    let mut summary = SimulateSummary {
        contigs: reference.contigs.len(),
        reference_length: reference.total_length(),
        ..SimulateSummary::default()
    };
    for variant in &sample.truth {
        match variant.kind() {
            VariantKind::Snv => summary.snvs += 1,
            VariantKind::Insertion => summary.insertions += 1,
            VariantKind::Deletion => summary.deletions += 1,
        }
    }
    let total = options.reads;
    let mut done = 0u64;
    let mut batch = crate::batch::Batch::default();
    let mut last_report = Instant::now();
    progress(Progress { done, total });
    while done < total {
        if cancel.load(Ordering::Relaxed) {
            return Err(HelixError::Aborted);
        }
        let fragments = (total - done).min(FRAGMENTS_PER_BATCH as u64) as usize;
        simulator.fill_batch(&mut batch, fragments);
        batch.write_fastq(&mut text, &mut first, second.as_mut())?;
        summary.reads += batch.len() as u64;
        summary.bases += batch.bases.len() as u64;
        done += fragments as u64;
        if last_report.elapsed() >= Duration::from_millis(100) {
            last_report = Instant::now();
            progress(Progress { done, total });
        }
    }
    first.finish()?;
    if let Some(second) = second {
        second.finish()?;
    }
    progress(Progress { done, total });
    summary.elapsed = started.elapsed();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(dir: &std::path::Path, paired: bool) -> SimulateFiles {
        SimulateFiles {
            reference: ReferenceSource::Random {
                length: 30_000,
                name: "random".into(),
            },
            reference_out: Some(dir.join("ref.fa")),
            reads: 1000,
            read_options: ReadOptions::default(),
            mutation_options: MutationOptions::default(),
            seed: 17,
            out: dir.join("r1.fq.gz"),
            out2: paired.then(|| dir.join("r2.fq")),
            truth: Some(dir.join("truth.vcf")),
        }
    }

    #[test]
    fn same_options_give_byte_identical_files() {
        let base = std::env::temp_dir().join(format!("helix-simfiles-{}", std::process::id()));
        let mut contents = Vec::new();
        for run in 0..2 {
            let dir = base.join(run.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            let mut reports = Vec::new();
            let summary = simulate_files(
                &options(&dir, true),
                &mut |p| reports.push(p),
                &AtomicBool::new(false),
            )
            .unwrap();
            assert_eq!(summary.reads, 2000);
            assert_eq!(
                reports.last(),
                Some(&Progress {
                    done: 1000,
                    total: 1000
                })
            );
            let files: Vec<Vec<u8>> = ["ref.fa", "r1.fq.gz", "r2.fq", "truth.vcf"]
                .iter()
                .map(|f| std::fs::read(dir.join(f)).unwrap())
                .collect();
            contents.push(files);
        }
        assert_eq!(contents[0], contents[1]);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn cancel_stops_the_run() {
        let dir = std::env::temp_dir().join(format!("helix-simcancel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err =
            simulate_files(&options(&dir, false), &mut |_| {}, &AtomicBool::new(true)).unwrap_err();
        assert!(matches!(err, HelixError::Aborted));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
