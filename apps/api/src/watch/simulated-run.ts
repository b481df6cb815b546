import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ReadSimulator, type Reference } from '@helix/native';
import { formatFastq } from './fastq-chunk.js';
import { MINKNOW_PASS_FOLDER } from './layout.js';

const compress = promisify(gzip);

/** How `helix simulate --run-dir` writes a run. */
export interface SimulatedRunOptions {
  /** The run folder (created if missing); its name is the run's name in file names. */
  runDir: string;
  /** The reference every sample is made from. */
  reference: Reference;
  /** Barcoded samples, `barcode01` … (at most 96, as on a MinKNOW flow cell). */
  samples: number;
  /** Reads per sample over the whole run. */
  readsPerSample: number;
  /** Reads per FASTQ file. */
  chunkReads: number;
  /** Pause between one round of files (one per sample) and the next. */
  chunkIntervalMs: number;
  readLength?: number;
  mutationRate?: number;
  indelFraction?: number;
  errorRate?: number;
  seed: number;
}

/** What a simulated run wrote. */
export interface SimulatedRunSummary {
  /** Barcode folder names, in order. */
  samples: string[];
  /** FASTQ files written per sample. */
  chunksPerSample: number;
  /** Reads written over all samples. */
  reads: number;
  /** Injected variants per sample, in sample order. */
  variants: number[];
  /** The end marker, written last. */
  finalSummary: string;
}

/** The barcode folder name of sample `index` (from 0). */
export const barcodeName = (index: number) => `barcode${String(index + 1).padStart(2, '0')}`;

/**
 * Writes a MinKNOW-layout run over time: each sample gets its own mutations (truth in
 * `truth/<barcode>.vcf`), then every `chunkIntervalMs` one more `fastq_pass/<barcode>/<run>_<n>.fastq.gz`
 * per sample (written as `*.tmp` and renamed, as MinKNOW does), and `final_summary_<run>.txt`
 * last. `onProgress` gets reads written so far and in all; aborting `signal` stops between files.
 */
export async function simulateRun(
  options: SimulatedRunOptions,
  onProgress: (done: number, total: number) => void = () => undefined,
  signal?: AbortSignal,
): Promise<SimulatedRunSummary> {
  const run = basename(options.runDir);
  const samples = Array.from({ length: options.samples }, (_, index) => barcodeName(index));
  await mkdir(join(options.runDir, 'truth'), { recursive: true });
  const simulators: ReadSimulator[] = [];
  const variants: number[] = [];
  for (const [index, name] of samples.entries()) {
    const sample = options.reference.mutate({
      seed: options.seed * 1000 + index,
      ...(options.mutationRate !== undefined && { mutationRate: options.mutationRate }),
      ...(options.indelFraction !== undefined && { indelFraction: options.indelFraction }),
    });
    const truth = join(options.runDir, 'truth', `${name}.vcf`);
    sample.writeTruthVcf(truth);
    await nameTruthSample(truth, name);
    variants.push(sample.variantCount);
    simulators.push(
      new ReadSimulator(sample, {
        seed: options.seed * 1000 + 500 + index,
        ...(options.readLength !== undefined && { readLength: options.readLength }),
        ...(options.errorRate !== undefined && { errorRate: options.errorRate }),
      }),
    );
    await mkdir(join(options.runDir, MINKNOW_PASS_FOLDER, name), { recursive: true });
  }

  const chunks = Math.ceil(options.readsPerSample / options.chunkReads);
  const total = options.readsPerSample * options.samples;
  let done = 0;
  const startedAt = new Date();
  onProgress(done, total);
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    if (chunk > 0) await sleep(options.chunkIntervalMs, undefined, { signal });
    const reads = Math.min(options.chunkReads, options.readsPerSample - chunk * options.chunkReads);
    for (const [index, name] of samples.entries()) {
      signal?.throwIfAborted();
      const fastq = await compress(formatFastq((simulators[index] as ReadSimulator).nextBatch(reads)));
      const file = join(options.runDir, MINKNOW_PASS_FOLDER, name, `${run}_${chunk}.fastq.gz`);
      await writeFile(`${file}.tmp`, fastq);
      await rename(`${file}.tmp`, file);
      done += reads;
      onProgress(done, total);
    }
  }

  const finalSummary = join(options.runDir, `final_summary_${run}.txt`);
  await writeFile(
    finalSummary,
    [
      'instrument=helix-simulate',
      `protocol_run_id=${run}`,
      `started=${startedAt.toISOString()}`,
      `acquisition_stopped=${new Date().toISOString()}`,
      'basecalling_enabled=1',
      `fastq_files_in_final_dest=${chunks * options.samples}`,
      `reads_per_sample=${options.readsPerSample}`,
      '',
    ].join('\n'),
  );
  return { samples, chunksPerSample: chunks, reads: total, variants, finalSummary };
}

/** The native truth VCF names its one sample `sample`; a run's truths are named by barcode. */
async function nameTruthSample(path: string, name: string): Promise<void> {
  const vcf = await readFile(path, 'utf8');
  await writeFile(path, vcf.replace(/^(#CHROM\t.*\tFORMAT\t)sample$/m, `$1${name}`));
}
