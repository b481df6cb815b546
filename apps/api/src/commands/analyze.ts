import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PublishedEffects } from '../annotate/published-effects.js';
import { openRunAnnotation, type RunAnnotation } from '../annotate/run-annotation.js';
import { estimateReads } from '../cli/fastq-estimate.js';
import { createProgress } from '../cli/progress.js';
import { parseRunFlags, RUN_FLAG_OPTIONS, RUN_FLAGS_HELP, runFlagsSynopsis } from '../cli/run-flags.js';
import { BadInputError, UsageError } from '../cli/usage-error.js';
import { formatConsensusFasta } from '../consensus/fasta.js';
import { consensusSummary, runOutcomeConsensus } from '../consensus/run-outcome.js';
import { type Database, openDatabase } from '../db/database.js';
import { PostgresResultStore } from '../db/result-store.js';
import { loadConfigWith } from '../env.js';
import { createLogger } from '../logger.js';
import { Pipeline } from '../pipeline/pipeline.js';
import type { ResultStore, SampleRecord } from '../pipeline/records.js';
import { runSampleName } from '../pipeline/sample-name.js';
import { VariantlessMemoryStore } from '../pipeline/variantless-store.js';
import { callsForVcf } from '../vcf/population.js';
import { sortForVcf, vcfHeader } from '../vcf/writer.js';
import { AnnotationRefusedError, annotatedBatches, writeVcf } from './analyze-vcf.js';

/** `helix analyze` usage text. */
export const ANALYZE_USAGE = `usage: helix analyze --reference ref.fa[.gz]|ref.gbk --reads a.fq[.gz] [b.fq[.gz] ...] --vcf out.vcf
                     ${runFlagsSynopsis('                     ')}
                     [--sample NAME] [--consensus out.fa] [--db]

Calls SNVs and short indels from FASTQ reads against a FASTA reference and writes VCF 4.3
(--vcf - for stdout). Two read files are read as mates. --db also stores the run, its analyses
and its variants in the database (DATABASE_URL, or the embedded one under HELIX_DATA_DIR).
${RUN_FLAGS_HELP}
--sample names the VCF column (default: the first reads file's name without _R1… and extensions).
--consensus also writes the sample's consensus as FASTA, one record per contig: N where the depth is
below --min-depth, elsewhere the majority allele (a confirmed call's where its allele frequency is above 0.5
or its genotype is 1 or 1/1). Given --consensus, --vcf may be left out.
It ends with the mapping statistics: reads mapped, properly paired, mean depth and breadth over the reference.`;

/** Batches of analyze runs are large: fewer hand-offs between threads at full speed. */
const ANALYZE_BATCH_SIZE = 4_096;

/** Runs `helix analyze`: FASTQ + FASTA in, VCF out, with a progress bar and a summary line. */
export async function analyze(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      ...RUN_FLAG_OPTIONS,
      reads: { type: 'string', multiple: true },
      sample: { type: 'string' },
      consensus: { type: 'string' },
      db: { type: 'boolean', default: false },
    },
  });
  if (!values.reference) throw new UsageError('--reference ref.fa is required');
  // `--reads a.fq b.fq` leaves b.fq as a positional: it belongs to --reads.
  const reads = [...(values.reads ?? []), ...positionals].map((file) => resolve(file));
  if (reads.length === 0) throw new UsageError('--reads a.fq is required');
  if (!values.vcf && !values.consensus) {
    throw new UsageError('--vcf out.vcf (or - for stdout) is required, or --consensus out.fa for the consensus alone');
  }
  const { config: callerConfig, geneticCode } = parseRunFlags(values);
  if (values.sample !== undefined && values.sample.trim() === '') throw new UsageError('--sample needs a name');
  const sampleName = runSampleName({ sampleName: values.sample?.trim(), readsPaths: reads });

  // A stored run's pipeline reads the genes off the main thread while its index is built, and
  // annotates each call once, when it is first confirmed; asked for the genes once it has started,
  // this takes the same reading (files unchanged), and the VCF takes the effects the alarms carried
  // (calls no alarm announced, a population run's filtered ones, are annotated at the end). A run
  // not stored has no reader of effects: the genes are read here while the run starts, and the VCF
  // takes only ANN values, annotated a batch ahead of its writing, without effect objects.
  const referencePath = resolve(values.reference);
  const genesOptions = {
    referencePath,
    ...(values.annotation !== undefined && { annotationPath: resolve(values.annotation) }),
    ...(geneticCode !== undefined && { geneticCode }),
  };

  const config = loadConfigWith(values['index-dir'] === undefined ? {} : { HELIX_INDEX_DIR: values['index-dir'] });
  const { indexDir } = config;
  let database: Database | undefined;
  // Without --db nothing reads the variant rows back: the VCF is written from the run's outcome.
  let store: ResultStore = new VariantlessMemoryStore();
  if (values.db) {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      logger: createLogger('warn'),
      connectTimeoutMs: 30_000,
    });
    store = new PostgresResultStore(database.pool);
  }

  const published = values.db ? new PublishedEffects() : undefined;
  const pipeline = new Pipeline({
    store,
    ...(indexDir !== undefined && { indexDir }),
    ...(published && { observer: published.observer }),
    metricsIntervalMs: 200,
    callIntervalMs: 60_000,
  });
  const started = performance.now();
  const progress = createProgress('analysing', 'reads');
  const expected = await estimateReads(reads).catch(() => 0);
  let ticker: NodeJS.Timeout | undefined;
  try {
    const starting = pipeline.start({
      source: 'FASTQ',
      referencePath: resolve(values.reference),
      readsPaths: reads,
      sampleName,
      readsPerSecond: 0,
      batchSize: ANALYZE_BATCH_SIZE,
      highWater: 16,
      lowWater: 4,
      ...callerConfig,
      // A stored run's pipeline annotates each call as it is confirmed, and keeps the effects.
      ...(values.db && values.annotation !== undefined && { annotationPath: resolve(values.annotation) }),
      ...(values.db && geneticCode !== undefined && { geneticCode }),
    });
    // Asked for while the run starts, off the main thread: its start leaves a core idle, and the
    // genes read then cost nothing (read onto the run's reference later, once every core aligns,
    // they cost a run of 1 M reads ~5 %).
    const genesRead = values.db ? undefined : openRunAnnotation(genesOptions);
    genesRead?.catch(() => {});
    const readRunGenes = () => readGenes(genesRead ?? openRunAnnotation(genesOptions));
    // A start refused for its genes says so in the genes' own words (file, line, feature).
    const run = await starting.catch(async (error: unknown) => {
      reportGenes(await readRunGenes(), geneticCode);
      throw error;
    });
    const genes = await readRunGenes();
    reportGenes(genes, geneticCode);
    ticker = setInterval(() => {
      const metrics = pipeline.metrics();
      progress.update(metrics.readsAnalysed, Math.max(expected, metrics.readsProduced));
    }, 200);
    const outcome = await pipeline.whenRunEnds();
    clearInterval(ticker);
    progress.stop();
    if (outcome.error) throw new BadInputError(outcome.error);

    const sorted = sortForVcf(callsForVcf(outcome.calls), outcome.contigs);
    if (values.vcf) {
      const header = vcfHeader({
        contigs: outcome.contigs,
        reference: resolve(values.reference),
        annotated: genes.annotation !== undefined,
        population: callerConfig.mode === 'POPULATION',
        sample: sampleName,
        meta: { helixCommand: `helix analyze ${args.join(' ')}` },
      });
      await writeVcf(values.vcf, header, annotatedBatches(sorted, genes.annotation, published)).catch((error) => {
        if (!(error instanceof AnnotationRefusedError)) throw error;
        throw new BadInputError(`annotating with ${values.annotation ?? values.reference}: ${error.message}`);
      });
    }
    if (values.consensus) {
      const records = runOutcomeConsensus(outcome, {
        reference: run.reference,
        referenceName: basename(referencePath),
        minDepth: run.config.minDepth,
      });
      await writeFile(values.consensus, formatConsensusFasta(records));
      process.stderr.write(`consensus: ${consensusSummary(records)} → ${values.consensus}\n`);
    }
    const seconds = (performance.now() - started) / 1_000;
    // Population VCFs hold filtered calls too; the summary counts the passing ones.
    const passing = sorted.filter((call) => call.status === 'CONFIRMED');
    const count = (type: string) => passing.filter((call) => call.type === type).length;
    process.stderr.write(
      `analysed ${outcome.totals.readsAnalysed.toLocaleString('en-US')} reads in ${seconds.toFixed(1)} s ` +
        `(${Math.round(outcome.totals.readsAnalysed / seconds).toLocaleString('en-US')} reads/s): ` +
        `${passing.length} variants (${count('SNV')} SNVs, ${count('INSERTION')} insertions, ` +
        `${count('DELETION')} deletions)${values.vcf === undefined || values.vcf === '-' ? '' : ` → ${values.vcf}`}` +
        `${values.db ? `; run ${outcome.runId} stored` : ''}\n`,
    );
    for (const sample of outcome.samples) process.stderr.write(mappingReport(sample, reads));
    if (outcome.samples.length === 0) process.stderr.write(noReadsWarning(reads));
    if (outcome.ambiguousReads > 0) {
      process.stderr.write(
        `note: ${outcome.ambiguousReads.toLocaleString('en-US')} reads held characters other than ACGTN ` +
          '(IUPAC codes were read as N, U as T)\n',
      );
    }
  } finally {
    clearInterval(ticker);
    progress.stop();
    await pipeline.close();
    await database?.close();
  }
}

/** The run's genes, or the reason they cannot be read as bad input. */
async function readGenes(genesRead: Promise<RunAnnotation>): Promise<RunAnnotation> {
  try {
    return await genesRead;
  } catch (error) {
    throw new BadInputError(error instanceof Error ? error.message : String(error));
  }
}

/** Refuses --genetic-code without genes, and prints the first annotation warnings. */
function reportGenes(genes: RunAnnotation, geneticCode: number | undefined): void {
  if (geneticCode !== undefined && !genes.annotation) {
    throw new UsageError('--genetic-code needs --annotation genes.gff3 (or a GenBank --reference)');
  }
  for (const warning of genes.annotation?.warnings.slice(0, 20) ?? []) process.stderr.write(`warning: ${warning}\n`);
  const moreWarnings = (genes.annotation?.warnings.length ?? 0) - 20;
  if (moreWarnings > 0) process.stderr.write(`warning: … and ${moreWarnings} more annotation warnings\n`);
}

/** The warning for reads files that held no reads (a run of them has no sample to report). */
function noReadsWarning(readsFiles: readonly string[]): string {
  return `warning: ${readsFiles.join(' and ')} held no reads: nothing was mapped or called\n`;
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;

/**
 * The mapping statistics of a sample, with a warning when its reads file held no reads or none
 * of its reads mapped (the VCF is still written, and the run still succeeds: the input was read).
 */
export function mappingReport(sample: SampleRecord, readsFiles: readonly string[]): string {
  if (sample.readsAnalysed === 0) return noReadsWarning(readsFiles);
  const reads = sample.readsAnalysed.toLocaleString('en-US');
  const lines = [
    `sample ${sample.name}: ${sample.mappedReads.toLocaleString('en-US')} of ${reads} reads mapped ` +
      `(${percent(sample.mappedReads / sample.readsAnalysed)})`,
    readsFiles.length === 2
      ? `properly paired: ${(sample.properlyPairedReads ?? 0).toLocaleString('en-US')} of ${reads} reads ` +
        `(${percent((sample.properlyPairedReads ?? 0) / sample.readsAnalysed)})`
      : 'properly paired: single-end reads',
    `mean depth ${sample.meanDepth.toFixed(1)}×; breadth ${percent(sample.breadth1x)} ≥1×, ${percent(sample.breadth10x)} ≥10×`,
  ];
  if (sample.mappedReads === 0)
    lines.push(`warning: none of the ${reads} reads of ${readsFiles.join(' and ')} mapped to the reference`);
  return `${lines.join('\n')}\n`;
}
