import { describe, expect, it } from 'vitest';
import {
  formFieldOf,
  MIN_ALLELE_FREQUENCY_DEFAULTS,
  minAlleleFrequencyFor,
  RUN_CONFIG_DEFAULTS,
  type RunConfigValues,
  validateRunConfig,
  validateSpike,
  validateThresholds,
} from '@/lib/validation';

const defaults = (): RunConfigValues => ({ ...RUN_CONFIG_DEFAULTS });

describe('run configuration form', () => {
  it("should send API.md's defaults as they are", () => {
    const result = validateRunConfig(defaults());
    expect(result).toEqual({
      ok: true,
      value: {
        source: 'SIMULATED',
        referenceLength: 200000,
        readLength: 150,
        readsPerSecond: 50000,
        batchSize: 256,
        mutationRate: 0.001,
        errorRate: 0.001,
        highWater: 500,
        lowWater: 100,
        seed: 7,
        indelFraction: 0.15,
        mode: 'GERMLINE',
        minAlleleFrequency: 0.15,
      },
    });
  });

  it('should send a population run with its own minimum allele frequency', () => {
    const values = {
      ...defaults(),
      mode: 'POPULATION',
      minAlleleFrequency: minAlleleFrequencyFor('POPULATION', '0.15'),
    };
    expect(validateRunConfig(values)).toMatchObject({
      ok: true,
      value: { mode: 'POPULATION', minAlleleFrequency: 0.02 },
    });
  });

  it('should let the minimum allele frequency follow the mode until it is edited', () => {
    expect(minAlleleFrequencyFor('POPULATION', MIN_ALLELE_FREQUENCY_DEFAULTS.GERMLINE)).toBe('0.02');
    expect(minAlleleFrequencyFor('GERMLINE', MIN_ALLELE_FREQUENCY_DEFAULTS.POPULATION)).toBe('0.15');
    expect(minAlleleFrequencyFor('POPULATION', '0.05')).toBe('0.05');
  });

  it('should put a message at a minimum allele frequency outside 0–1', () => {
    const result = validateRunConfig({ ...defaults(), minAlleleFrequency: '1.5' });
    expect(result).toEqual({
      ok: false,
      errors: { minAlleleFrequency: 'Minimum allele frequency must be at most 1.' },
    });
  });

  it('should put a message at each invalid field', () => {
    const result = validateRunConfig({
      ...defaults(),
      readLength: '150.5',
      mutationRate: '2',
      batchSize: '',
      seed: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      readLength: 'Read length must be a whole number.',
      mutationRate: 'Mutation rate must be at most 1.',
      batchSize: 'Batch size is required.',
      seed: 'Seed must be a number.',
    });
  });

  it('should require low-water below high-water', () => {
    const result = validateRunConfig({ ...defaults(), highWater: '100', lowWater: '100' });
    expect(result).toEqual({ ok: false, errors: { lowWater: 'Low-water mark must be below the high-water mark.' } });
  });

  it('should require files for a FASTQ run and pass them on', () => {
    expect(validateRunConfig({ ...defaults(), source: 'FASTQ' })).toMatchObject({
      ok: false,
      errors: { referencePath: expect.any(String), readsPaths: expect.any(String) },
    });
    const result = validateRunConfig({
      ...defaults(),
      source: 'FASTQ',
      referencePath: 'ref.fa',
      readsPaths: 'a.fq, b.fq',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { source: 'FASTQ', referencePath: 'ref.fa', readsPaths: ['a.fq', 'b.fq'] },
    });
  });

  it('should require a run folder and a reference for a live run folder and pass the folder on', () => {
    expect(validateRunConfig({ ...defaults(), source: 'DIRECTORY' })).toEqual({
      ok: false,
      errors: {
        referencePath: 'A run folder needs a reference (FASTA or GenBank) file.',
        directory: 'Name the run folder to follow.',
      },
    });
    const result = validateRunConfig({
      ...defaults(),
      source: 'DIRECTORY',
      directory: ' run-2026-12-01 ',
      referencePath: 'run-2026-12-01/reference.fa',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { source: 'DIRECTORY', directory: 'run-2026-12-01', referencePath: 'run-2026-12-01/reference.fa' },
    });
  });

  it('should refuse a run folder outside the input directory at its field', () => {
    const result = validateRunConfig({
      ...defaults(),
      source: 'DIRECTORY',
      directory: 'runs/../../etc',
      referencePath: 'ref.fa',
    });
    expect(result).toEqual({
      ok: false,
      errors: { directory: 'The run folder must be inside the server’s input directory: no ".." segments.' },
    });
  });

  it('should send no run folder for a run of another source', () => {
    const result = validateRunConfig({ ...defaults(), directory: 'run1' });
    expect(result.ok && 'directory' in result.value).toBe(false);
  });

  it('should pass an annotation file on only when one is named', () => {
    const annotated = validateRunConfig({
      ...defaults(),
      source: 'FASTQ',
      referencePath: 'ref.fa',
      readsPaths: 'a.fq',
      annotationPath: ' genes.gff3 ',
    });
    expect(annotated).toMatchObject({ ok: true, value: { annotationPath: 'genes.gff3' } });
    const plain = validateRunConfig({ ...defaults(), source: 'FASTQ', referencePath: 'ref.gbk', readsPaths: 'a.fq' });
    expect(plain.ok && 'annotationPath' in plain.value).toBe(false);
  });
});

describe('spike and threshold forms', () => {
  it('should accept a spike within limits and refuse one outside', () => {
    expect(validateSpike({ multiplier: '10', durationSeconds: '5' })).toEqual({
      ok: true,
      value: { multiplier: 10, durationSeconds: 5 },
    });
    expect(validateSpike({ multiplier: '0.5', durationSeconds: '0' })).toEqual({
      ok: false,
      errors: { multiplier: 'Multiplier must be at least 1.', durationSeconds: 'Duration must be more than 0.' },
    });
  });

  it('should refuse water marks in the wrong order', () => {
    expect(validateThresholds({ highWater: '300', lowWater: '50' })).toEqual({
      ok: true,
      value: { highWater: 300, lowWater: 50 },
    });
    expect(validateThresholds({ highWater: '30', lowWater: '50' })).toMatchObject({
      ok: false,
      errors: { lowWater: expect.any(String) },
    });
  });

  it("should map the API's field names to form fields", () => {
    expect(formFieldOf('readsPaths.1', ['readsPaths', 'seed'])).toBe('readsPaths');
    expect(formFieldOf('input.lowWater', ['highWater', 'lowWater'])).toBe('lowWater');
    expect(formFieldOf('input', ['seed'])).toBeUndefined();
  });
});
