/**
 * Variant calling benchmark: `helix analyze` against the peer pipeline a bioinformatician would
 * reach for (minimap2 | samtools sort | bcftools mpileup | bcftools call), on the same simulated
 * data in the same run, with both call sets scored against the truth. Then the live pipeline's
 * sustained reads/s with persistence on, and its peak RSS during a 10x spike.
 *
 *   npm run bench -w @helix/api            (or BENCH_READS=200000 for a quicker look)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateToFiles } from '@helix/native';
import { type Database, openDatabase } from '../src/db/database.js';
import { PostgresResultStore } from '../src/db/result-store.js';
import { loadConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { parseVcfSites, score } from './vcf-score.js';

const pairs = Number(process.argv[2] ?? 500_000);
const helixBin = fileURLToPath(new URL('../bin/helix.js', import.meta.url));
const has = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - started) / 1_000) : reject(new Error(`${command} failed:\n${stderr}`)),
    );
  });
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(44)} ${value}`);
}

const directory = await mkdtemp(join(tmpdir(), 'helix-bench-'));
const file = (name: string) => join(directory, name);
try {
  console.log(`# variant calling: ${(pairs * 2).toLocaleString('en-US')} reads (150 bp pairs) from a 5 Mbp reference`);
  await simulateToFiles({
    referenceLength: 5_000_000,
    referenceOut: file('ref.fa'),
    reads: pairs,
    out: file('r1.fq'),
    out2: file('r2.fq'),
    truth: file('truth.vcf'),
    mutationRate: 0.001,
    indelFraction: 0.15,
    errorRate: 0.002,
    seed: 42,
  });
  const truth = parseVcfSites(execFileSync('cat', [file('truth.vcf')], { encoding: 'utf8' }));
  const reads = pairs * 2;

  const helixSeconds = await timed(process.execPath, [
    helixBin,
    'analyze',
    '--reference',
    file('ref.fa'),
    '--reads',
    file('r1.fq'),
    file('r2.fq'),
    '--vcf',
    file('helix.vcf'),
  ]);
  const helix = score(parseVcfSites(execFileSync('cat', [file('helix.vcf')], { encoding: 'utf8' })), truth);
  line(
    'helix analyze',
    `${helixSeconds.toFixed(2)} s  ${Math.round(reads / helixSeconds).toLocaleString('en-US')} reads/s`,
  );
  line(
    '  SNV precision / recall',
    `${helix.snv.precision.toFixed(4)} / ${helix.snv.recall.toFixed(4)} (${helix.snv.truth} true)`,
  );
  line(
    '  indel precision / recall',
    `${helix.indel.precision.toFixed(4)} / ${helix.indel.recall.toFixed(4)} (${helix.indel.truth} true)`,
  );

  if (['minimap2', 'samtools', 'bcftools'].every(has)) {
    execFileSync('samtools', ['faidx', file('ref.fa')]);
    const peerSeconds = await timed('bash', [
      '-o',
      'pipefail',
      '-c',
      `minimap2 -t 2 -ax sr ${file('ref.fa')} ${file('r1.fq')} ${file('r2.fq')} 2>/dev/null | samtools sort -@1 -o - 2>/dev/null | ` +
        `bcftools mpileup -f ${file('ref.fa')} - 2>/dev/null | bcftools call -mv -o ${file('peer.raw.vcf')} 2>/dev/null`,
    ]);
    // Split multi-allelic records and left-align, as ours are, before scoring.
    execFileSync(
      'bcftools',
      ['norm', '-m', '-any', '-f', file('ref.fa'), '-o', file('peer.vcf'), file('peer.raw.vcf')],
      {
        stdio: 'ignore',
      },
    );
    const peer = score(parseVcfSites(execFileSync('cat', [file('peer.vcf')], { encoding: 'utf8' })), truth);
    line(
      'minimap2 | samtools sort | bcftools',
      `${peerSeconds.toFixed(2)} s  ${Math.round(reads / peerSeconds).toLocaleString('en-US')} reads/s`,
    );
    line('  SNV precision / recall', `${peer.snv.precision.toFixed(4)} / ${peer.snv.recall.toFixed(4)}`);
    line('  indel precision / recall', `${peer.indel.precision.toFixed(4)} / ${peer.indel.recall.toFixed(4)}`);
    line('ratio helix / peer (reads/s)', `${(peerSeconds / helixSeconds).toFixed(2)}x`);
  } else {
    console.log(
      'minimap2, samtools or bcftools not installed: peer comparison skipped (apt-get install minimap2 samtools bcftools)',
    );
  }

  await livePipeline();
} finally {
  await rm(directory, { recursive: true, force: true });
}

/** The live pipeline with persistence on: sustained reads/s, then peak RSS through a 10x spike. */
async function livePipeline(): Promise<void> {
  console.log('\n# live pipeline, results stored in PostgreSQL');
  const config = loadConfig();
  const scratch = config.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'helix-bench-db-'));
  let database: Database | undefined;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: scratch ?? config.dataDir,
      logger: createLogger('warn'),
    });
    const pipeline = new Pipeline({ store: new PostgresResultStore(database.pool) });
    await pipeline.start({
      referenceLength: 5_000_000,
      readsPerSecond: 0,
      batchSize: 1_024,
      highWater: 64,
      lowWater: 16,
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const from = pipeline.metrics();
    const seconds = 10;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    const to = pipeline.metrics();
    await pipeline.stop(true);
    line(
      'sustained, unlimited producer',
      `${Math.round((to.readsAnalysed - from.readsAnalysed) / seconds).toLocaleString('en-US')} reads/s analysed and stored`,
    );

    const baseRate = 50_000;
    // On the 5 Mbp reference the detectors keep up with the base rate but not with ten times it.
    await pipeline.start({ referenceLength: 5_000_000, readsPerSecond: baseRate, highWater: 500, lowWater: 100 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let throttled = false;
    let peakQueue = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const metrics = pipeline.metrics();
      throttled ||= metrics.throttled;
      peakQueue = Math.max(peakQueue, metrics.queueDepth);
    }, 50);
    pipeline.spike(10, 5);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    clearInterval(sampler);
    const outcome = await pipeline.stop(true);
    line(
      '10x spike (50k → 500k reads/s for 5 s)',
      `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (before ${(rssBefore / 2 ** 20).toFixed(0)} MiB), throttled: ${throttled}`,
    );
    line(
      '  nothing lost',
      `${outcome.totals.readsProduced === outcome.totals.readsAnalysed} (${outcome.totals.readsAnalysed.toLocaleString('en-US')} reads)`,
    );
  } finally {
    await database?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
