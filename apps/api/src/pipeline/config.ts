import { z } from 'zod';

const PLOIDIES = [1, 2] as const;
const PLOIDY_MESSAGE = 'ploidy must be 1 (haploid) or 2 (diploid)';

/** Chromosome copies of a sample: 1, haploid (bacteria, archaea, phages), or 2, diploid. */
export type Ploidy = (typeof PLOIDIES)[number];

/** Defaults of a run, as the API contract gives them. */
export const DEFAULT_RUN_CONFIG = {
  source: 'SIMULATED',
  referenceLength: 200_000,
  readLength: 150,
  readsPerSecond: 50_000,
  batchSize: 256,
  mutationRate: 0.001,
  indelFraction: 0.15,
  errorRate: 0.001,
  highWater: 500,
  lowWater: 100,
  seed: 7,
  mode: 'GERMLINE',
  minDepth: 3,
  minAlleleFrequency: 0.15,
  minQuality: 20,
} as const;

/** The default `minAlleleFrequency` of a `POPULATION` run (API.md: `--min-af` then defaults to 0.02). */
export const POPULATION_MIN_ALLELE_FREQUENCY = 0.02;

const rate = (name: string) =>
  z.number().min(0, `${name} must be between 0 and 1`).max(1, `${name} must be between 0 and 1`);
const whole = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number()
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

/** The configuration of one run; every field validated with a message naming it. */
export const runConfigSchema = z
  .object({
    source: z.enum(['SIMULATED', 'FASTQ', 'DIRECTORY']).default(DEFAULT_RUN_CONFIG.source),
    /** FASTA or GenBank reference (FASTQ runs, or simulated runs from a real genome). */
    referencePath: z.string().min(1).optional(),
    /** GFF3 or GenBank genes to annotate confirmed calls with (else a GenBank reference's own). */
    annotationPath: z.string().min(1).optional(),
    /** NCBI translation table for every CDS, over the annotation's `/transl_table` and the default. */
    geneticCode: whole('geneticCode', 1, 33).optional(),
    /** Contigs of `referencePath` that are circular, besides those a GenBank LOCUS line calls so. */
    circular: z.array(z.string().min(1, 'circular names a contig')).optional(),
    /** Length of the random reference of a simulated run without `referencePath`. */
    referenceLength: whole('referenceLength', 1_000, 2_000_000_000).default(DEFAULT_RUN_CONFIG.referenceLength),
    /** FASTQ files of a FASTQ run: one file, or two mate files. */
    readsPaths: z.array(z.string().min(1)).max(2, 'readsPaths takes one file or two mate files').optional(),
    /** The run folder a DIRECTORY run follows, inside `HELIX_INPUT_DIR`. */
    directory: z.string().min(1, 'directory must not be empty').optional(),
    /** The sample's name, as its VCF column (default: see `runSampleName`). */
    sampleName: z.string().trim().min(1, 'sampleName must not be empty').max(256).optional(),
    readLength: whole('readLength', 20, 10_000).default(DEFAULT_RUN_CONFIG.readLength),
    /** Target reads per second; 0 means as fast as the pipeline takes them. */
    readsPerSecond: whole('readsPerSecond', 0, 100_000_000).default(DEFAULT_RUN_CONFIG.readsPerSecond),
    batchSize: whole('batchSize', 1, 65_536).default(DEFAULT_RUN_CONFIG.batchSize),
    mutationRate: rate('mutationRate').default(DEFAULT_RUN_CONFIG.mutationRate),
    indelFraction: rate('indelFraction').default(DEFAULT_RUN_CONFIG.indelFraction),
    errorRate: rate('errorRate').default(DEFAULT_RUN_CONFIG.errorRate),
    highWater: whole('highWater', 1, 1_000_000).default(DEFAULT_RUN_CONFIG.highWater),
    lowWater: whole('lowWater', 0, 1_000_000).default(DEFAULT_RUN_CONFIG.lowWater),
    seed: whole('seed', 0, 2 ** 32 - 1).default(DEFAULT_RUN_CONFIG.seed),
    /** Stop a simulated run by itself after this many reads. */
    totalReads: whole('totalReads', 1).optional(),
    /** Detector worker threads (default: one per core). */
    workers: whole('workers', 1, 64).optional(),
    /** `GERMLINE` (genotypes) or `POPULATION` (allele frequencies of a mixed population, no genotype). */
    mode: z.enum(['GERMLINE', 'POPULATION']).default(DEFAULT_RUN_CONFIG.mode),
    minDepth: whole('minDepth', 1, 1_000_000).default(DEFAULT_RUN_CONFIG.minDepth),
    minAlleleFrequency: rate('minAlleleFrequency').default(DEFAULT_RUN_CONFIG.minAlleleFrequency),
    minQuality: z.number().min(0, 'minQuality must be at least 0').default(DEFAULT_RUN_CONFIG.minQuality),
    /**
     * Chromosome copies of the sample: 1 (haploid) or 2 (diploid). Unset, the run takes 1 for a
     * GenBank reference of bacteria, archaea or phages and 2 otherwise (see `runPloidy`).
     */
    ploidy: z.number(PLOIDY_MESSAGE).pipe(z.literal(PLOIDIES, PLOIDY_MESSAGE)).optional(),
  })
  .superRefine((config, context) => {
    if (config.lowWater >= config.highWater) {
      context.addIssue({ code: 'custom', path: ['lowWater'], message: 'lowWater must be below highWater' });
    }
    if (config.annotationPath && !config.referencePath) {
      context.addIssue({ code: 'custom', path: ['annotationPath'], message: 'annotationPath needs referencePath' });
    }
    if (config.source === 'DIRECTORY') {
      if (!config.directory) {
        context.addIssue({ code: 'custom', path: ['directory'], message: 'a DIRECTORY run needs directory' });
      }
      if (!config.referencePath) {
        context.addIssue({ code: 'custom', path: ['referencePath'], message: 'a DIRECTORY run needs referencePath' });
      }
    }
    if (config.source === 'FASTQ') {
      if (!config.readsPaths?.length) {
        context.addIssue({ code: 'custom', path: ['readsPaths'], message: 'a FASTQ run needs readsPaths' });
      }
      if (!config.referencePath) {
        context.addIssue({ code: 'custom', path: ['referencePath'], message: 'a FASTQ run needs referencePath' });
      }
    }
  });

/** A validated run configuration. */
export type RunConfig = z.output<typeof runConfigSchema>;

/** What callers may pass: every field optional except what a FASTQ run needs. */
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** Invalid run configuration; `field` names the first offending input field. */
export class InvalidRunConfigError extends Error {
  override name = 'InvalidRunConfigError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Validates a run configuration, filling defaults (the minimum allele frequency's by the mode). */
export function parseRunConfig(input: RunConfigInput): RunConfig {
  const population = input.mode === 'POPULATION' && input.minAlleleFrequency === undefined;
  const parsed = runConfigSchema.safeParse(
    population ? { ...input, minAlleleFrequency: POPULATION_MIN_ALLELE_FREQUENCY } : input,
  );
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'input';
  const message = issue?.message ?? 'invalid input';
  throw new InvalidRunConfigError(message.startsWith(field) ? message : `${field}: ${message}`, field);
}
