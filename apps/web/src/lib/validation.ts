import type { CallingMode, ReadSource, StartPipelineInput } from './graphql/operations';

/** Field name → message; empty when every field is valid. */
export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

/** The outcome of validating a form: a value to send, or messages at the fields. */
export type Validated<Value, Field extends string> =
  | { ok: true; value: Value }
  | { ok: false; errors: FieldErrors<Field> };

/** The minimum allele frequency each calling mode starts from (API.md's defaults). */
export const MIN_ALLELE_FREQUENCY_DEFAULTS: Record<CallingMode, string> = { GERMLINE: '0.15', POPULATION: '0.02' };

/** The run configuration with API.md's defaults. */
export const RUN_CONFIG_DEFAULTS = {
  source: 'SIMULATED',
  /** How the run calls: genotypes (GERMLINE) or a mixed population's allele frequencies. */
  mode: 'GERMLINE',
  minAlleleFrequency: MIN_ALLELE_FREQUENCY_DEFAULTS.GERMLINE,
  /** The run folder of a DIRECTORY run, relative to the server's input directory. */
  directory: '',
  referenceLength: '200000',
  readLength: '150',
  readsPerSecond: '50000',
  batchSize: '256',
  mutationRate: '0.001',
  errorRate: '0.001',
  highWater: '500',
  lowWater: '100',
  seed: '7',
  indelFraction: '0.15',
  totalReads: '',
  referencePath: '',
  readsPaths: '',
  annotationPath: '',
} as const;

export type RunConfigField = keyof typeof RUN_CONFIG_DEFAULTS;
export type RunConfigValues = Record<RunConfigField, string>;

interface NumberRule {
  label: string;
  integer: boolean;
  min: number;
  max: number;
  /** The minimum itself is not allowed (e.g. "more than 0"). */
  exclusiveMin?: boolean;
}

/** Reads a number field; returns the number or a message that names the field. */
export function parseNumber(raw: string, rule: NumberRule): number | string {
  const text = raw.trim();
  if (text === '') return `${rule.label} is required.`;
  const value = Number(text);
  if (!Number.isFinite(value)) return `${rule.label} must be a number.`;
  if (rule.integer && !Number.isInteger(value)) return `${rule.label} must be a whole number.`;
  if (rule.exclusiveMin ? value <= rule.min : value < rule.min) {
    return rule.exclusiveMin
      ? `${rule.label} must be more than ${rule.min}.`
      : `${rule.label} must be at least ${rule.min.toLocaleString('en-US')}.`;
  }
  if (value > rule.max) return `${rule.label} must be at most ${rule.max.toLocaleString('en-US')}.`;
  return value;
}

/** The limits the API applies to a run configuration, so messages appear before sending. */
const RUN_RULES: Record<
  Exclude<
    RunConfigField,
    'source' | 'mode' | 'totalReads' | 'referencePath' | 'readsPaths' | 'annotationPath' | 'directory'
  >,
  NumberRule
> = {
  referenceLength: { label: 'Reference length', integer: true, min: 1_000, max: 2_000_000_000 },
  readLength: { label: 'Read length', integer: true, min: 20, max: 10_000 },
  readsPerSecond: { label: 'Reads per second', integer: true, min: 0, max: 100_000_000 },
  batchSize: { label: 'Batch size', integer: true, min: 1, max: 65_536 },
  mutationRate: { label: 'Mutation rate', integer: false, min: 0, max: 1 },
  errorRate: { label: 'Error rate', integer: false, min: 0, max: 1 },
  highWater: { label: 'High-water mark', integer: true, min: 1, max: 1_000_000 },
  lowWater: { label: 'Low-water mark', integer: true, min: 0, max: 1_000_000 },
  seed: { label: 'Seed', integer: true, min: 0, max: 2 ** 32 - 1 },
  indelFraction: { label: 'Indel fraction', integer: false, min: 0, max: 1 },
  minAlleleFrequency: { label: 'Minimum allele frequency', integer: false, min: 0, max: 1 },
};

/** Validates the run configuration form. */
export function validateRunConfig(values: RunConfigValues): Validated<StartPipelineInput, RunConfigField> {
  const errors: FieldErrors<RunConfigField> = {};
  const numbers: Partial<Record<RunConfigField, number>> = {};
  for (const [field, rule] of Object.entries(RUN_RULES) as [keyof typeof RUN_RULES, NumberRule][]) {
    const parsed = parseNumber(values[field], rule);
    if (typeof parsed === 'string') errors[field] = parsed;
    else numbers[field] = parsed;
  }
  if (numbers.highWater !== undefined && numbers.lowWater !== undefined && numbers.lowWater >= numbers.highWater) {
    errors.lowWater = 'Low-water mark must be below the high-water mark.';
  }
  let totalReads: number | undefined;
  if (values.totalReads.trim() !== '') {
    const parsed = parseNumber(values.totalReads, {
      label: 'Total reads',
      integer: true,
      min: 1,
      max: Number.MAX_SAFE_INTEGER,
    });
    if (typeof parsed === 'string') errors.totalReads = parsed;
    else totalReads = parsed;
  }
  const source = readSourceOf(values.source);
  const directory = values.directory.trim();
  const readsPaths = values.readsPaths
    .split(/[\n,]/)
    .map((path) => path.trim())
    .filter(Boolean);
  if (source === 'FASTQ') {
    if (!values.referencePath.trim()) errors.referencePath = 'A FASTQ run needs a reference (FASTA or GenBank) file.';
    if (readsPaths.length === 0) errors.readsPaths = 'A FASTQ run needs one FASTQ file, or two mate files.';
  }
  if (source === 'DIRECTORY') {
    if (!values.referencePath.trim()) errors.referencePath = 'A run folder needs a reference (FASTA or GenBank) file.';
    const outside = directory ? outsideInputDir(directory) : 'Name the run folder to follow.';
    if (outside) errors.directory = outside;
  }
  if (readsPaths.length > 2) errors.readsPaths = 'Give one FASTQ file, or two mate files.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const n = numbers as Record<keyof typeof RUN_RULES, number>;
  const input: StartPipelineInput = {
    source,
    referenceLength: n.referenceLength,
    readLength: n.readLength,
    readsPerSecond: n.readsPerSecond,
    batchSize: n.batchSize,
    mutationRate: n.mutationRate,
    errorRate: n.errorRate,
    highWater: n.highWater,
    lowWater: n.lowWater,
    seed: n.seed,
    indelFraction: n.indelFraction,
    mode: callingModeOf(values.mode),
    minAlleleFrequency: n.minAlleleFrequency,
  };
  if (totalReads !== undefined) input.totalReads = totalReads;
  if (values.referencePath.trim()) input.referencePath = values.referencePath.trim();
  if (readsPaths.length > 0) input.readsPaths = readsPaths;
  if (values.annotationPath.trim()) input.annotationPath = values.annotationPath.trim();
  if (source === 'DIRECTORY') input.directory = directory;
  return { ok: true, value: input };
}

/** The form's source value as the API's enum; anything unknown is a simulated run, the default. */
function readSourceOf(value: string): ReadSource {
  return value === 'FASTQ' || value === 'DIRECTORY' ? value : 'SIMULATED';
}

/** The form's mode value as the API's enum; anything unknown is GERMLINE, the default. */
export function callingModeOf(value: string): CallingMode {
  return value === 'POPULATION' ? 'POPULATION' : 'GERMLINE';
}

/**
 * The minimum allele frequency after the mode changes to `mode`: the new mode's default, unless
 * `current` was edited away from the old mode's default (then it is kept).
 */
export function minAlleleFrequencyFor(mode: CallingMode, current: string): string {
  const defaults = Object.values(MIN_ALLELE_FREQUENCY_DEFAULTS);
  return defaults.includes(current.trim()) ? MIN_ALLELE_FREQUENCY_DEFAULTS[mode] : current;
}

/** Why a run folder path cannot lie inside the server's input directory, as far as the form can tell (the API checks links too). */
function outsideInputDir(directory: string): string | undefined {
  return directory.split(/[\\/]/).includes('..')
    ? 'The run folder must be inside the server’s input directory: no ".." segments.'
    : undefined;
}

export type SpikeField = 'multiplier' | 'durationSeconds';

/** Validates the spike form: a multiplier from 1 to 1000 for more than 0 and at most 3600 s. */
export function validateSpike(values: Record<SpikeField, string>): Validated<Record<SpikeField, number>, SpikeField> {
  const multiplier = parseNumber(values.multiplier, { label: 'Multiplier', integer: false, min: 1, max: 1_000 });
  const durationSeconds = parseNumber(values.durationSeconds, {
    label: 'Duration',
    integer: false,
    min: 0,
    max: 3_600,
    exclusiveMin: true,
  });
  const errors: FieldErrors<SpikeField> = {};
  if (typeof multiplier === 'string') errors.multiplier = multiplier;
  if (typeof durationSeconds === 'string') errors.durationSeconds = durationSeconds;
  if (typeof multiplier === 'string' || typeof durationSeconds === 'string') return { ok: false, errors };
  return { ok: true, value: { multiplier, durationSeconds } };
}

export type ThresholdField = 'highWater' | 'lowWater';

/** Validates new water marks: whole numbers, low-water below high-water. */
export function validateThresholds(
  values: Record<ThresholdField, string>,
): Validated<Record<ThresholdField, number>, ThresholdField> {
  const highWater = parseNumber(values.highWater, RUN_RULES.highWater);
  const lowWater = parseNumber(values.lowWater, RUN_RULES.lowWater);
  const errors: FieldErrors<ThresholdField> = {};
  if (typeof highWater === 'string') errors.highWater = highWater;
  if (typeof lowWater === 'string') errors.lowWater = lowWater;
  if (typeof highWater === 'number' && typeof lowWater === 'number' && lowWater >= highWater) {
    errors.lowWater = 'Low-water mark must be below the high-water mark.';
  }
  if (typeof highWater === 'string' || typeof lowWater === 'string' || errors.lowWater) return { ok: false, errors };
  return { ok: true, value: { highWater, lowWater } };
}

/** Maps a field the API names (e.g. "readsPaths.0", "input.lowWater") to a form field. */
export function formFieldOf<Field extends string>(
  apiField: string | undefined,
  fields: readonly Field[],
): Field | undefined {
  if (!apiField) return undefined;
  const parts = apiField.split('.');
  return fields.find((field) => parts.includes(field));
}
