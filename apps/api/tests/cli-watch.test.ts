import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runHelix } from './support/process.js';
import { waitFor } from './support/wait-for.js';

describe('helix watch', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-watch-cli-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('should follow a run folder while it is written and write one VCF column per sample at its end', async () => {
    const runDir = join(directory, 'run-1');
    const vcf = join(directory, 'calls.vcf');
    const simulate = runHelix(
      [
        'simulate',
        ...['--run-dir', runDir, '--samples', '2', '--reads', '1200', '--chunk-reads', '300'],
        ...['--chunk-interval-ms', '300', '--reference-length', '8000', '--mutation-rate', '0.003'],
      ],
      {},
    );
    await waitFor(() => existsSync(join(runDir, 'reference.fa')), 20_000, 'the run folder');
    const watch = runHelix(['watch', runDir, '--reference', join(runDir, 'reference.fa'), '--vcf', vcf], {
      HELIX_WATCH_SETTLE_MS: '500',
    });

    expect(await simulate.exited).toBe(0);
    expect(await watch.exited, watch.output()).toBe(0);
    expect(watch.output()).toContain('run complete: 2,400 reads of 2 samples');
    expect(watch.output()).toMatch(/barcode01: 1,200 reads/);
    expect(execFileSync('bcftools', ['query', '-l', vcf], { encoding: 'utf8' })).toBe('barcode01\nbarcode02\n');
    const records = execFileSync('bcftools', ['view', '-H', vcf], { encoding: 'utf8' }).trim().split('\n');
    expect(records.length).toBeGreaterThan(10);
  });

  it('should exit 2 naming what is missing', async () => {
    const watch = runHelix(['watch', '--vcf', join(directory, 'calls.vcf')], {});
    expect(await watch.exited).toBe(2);
    expect(watch.output()).toMatch(/RUN_DIR/);
  });

  it('should refuse a ploidy other than 1 or 2 as analyze does, naming the flag', async () => {
    const watch = runHelix(['watch', directory, '--reference', 'ref.fa', '--vcf', '-', '--ploidy', 'haploid'], {});
    expect(await watch.exited).toBe(2);
    expect(watch.output()).toContain('--ploidy must be 1 (haploid) or 2 (diploid), got "haploid"');
  });
});
