/**
 * Benchmark of the native core against the TypeScript reference (and wgsim
 * when installed), all measured in this run: `npm run bench -w @helix/native`.
 *
 * 1. Read simulation on one thread: 150-bp reads with errors and qualities,
 *    batches of 4096 reads, native `ReadSimulator` (including the copy into
 *    transferable JavaScript buffers) against `reference/simulate.ts`.
 * 2. `simulateToFiles` (what `helix simulate` runs) against `wgsim` for the
 *    same output: 500 k pairs of 150-bp reads from a 5 Mbp reference.
 * 3. FASTQ parsing into batches (uncompressed and gzip) through the producer.
 * 4. Detection on one thread: `Detector.analyse` + `Pileup.add` through napi
 *    for 500 k simulated 150-bp reads on the 5 Mbp reference (batches of 256
 *    and 4096, simulated beforehand), beside the simulator's rate for the same
 *    batches; then the index build and `VariantCaller.callAll` times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlignerIndex,
  Detector,
  Pileup,
  Producer,
  type ReadBatch,
  ReadSimulator,
  Reference,
  simulateToFiles,
  VariantCaller,
} from '../index.js';
import * as ts from '../reference/simulate.js';

const REFERENCE_LENGTH = 5_000_000;
const READ_LENGTH = 150;
const BATCH = 4096;
const SEED = 7;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'helix-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const format = (n: number, digits = 2) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(digits)} G`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(digits)} M`
      : `${(n / 1e3).toFixed(digits)} k`;

/** Calls `step` (which returns reads made) for about `SECONDS`; returns reads per second. */
function rate(step: () => number): number {
  for (let i = 0; i < 3; i++) step();
  let reads = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < SECONDS * 1000) {
    reads += step();
    elapsed = performance.now() - started;
  }
  return (reads * 1000) / elapsed;
}

function line(label: string, readsPerSecond: number): void {
  console.log(
    `  ${label.padEnd(34)} ${format(readsPerSecond).padStart(9)}reads/s  ${format(readsPerSecond * READ_LENGTH).padStart(9)}bases/s`,
  );
}

console.log(`Read simulation, one thread: ${READ_LENGTH}-bp reads, error rate 0.001, batches of ${BATCH}`);
console.log(`  reference: random, ${format(REFERENCE_LENGTH, 0)}bp; mutation rate 0.001, 15 % indels`);
const sample = Reference.random(REFERENCE_LENGTH, SEED).mutate({ seed: SEED });
const tsSample = ts.mutate(ts.randomReference(REFERENCE_LENGTH, SEED), { seed: SEED });
const options = { seed: SEED, readLength: READ_LENGTH, errorRate: 0.001 };
const nativeSimulator = new ReadSimulator(sample, options);
const tsSimulator = new ts.ReadSimulator(tsSample, options);
const nativeRate = rate(() => nativeSimulator.nextBatch(BATCH).reads);
const tsRate = rate(() => tsSimulator.nextBatch(BATCH).reads);
line('native (@helix/native)', nativeRate);
line('TypeScript reference', tsRate);
console.log(`  ratio native / TypeScript: ${(nativeRate / tsRate).toFixed(1)}×  (target ≥ 10×, ≥ 2 M reads/s)`);

console.log('\nhelix simulate: 500 k pairs × 150 bp from a 5 Mbp reference, to FASTQ files');
const referencePath = join(dir, 'ref.fa');
Reference.random(REFERENCE_LENGTH, SEED).writeFasta(referencePath);
const simulateStarted = performance.now();
const summary = await simulateToFiles({
  reference: referencePath,
  reads: 500_000,
  readLength: READ_LENGTH,
  errorRate: 0.002,
  seed: SEED,
  out: join(dir, 'sim_1.fq'),
  out2: join(dir, 'sim_2.fq'),
  truth: join(dir, 'truth.vcf'),
});
const simulateSeconds = (performance.now() - simulateStarted) / 1000;
const fastqBytes = statSync(join(dir, 'sim_1.fq')).size + statSync(join(dir, 'sim_2.fq')).size;
line('simulateToFiles (native)', summary.reads / simulateSeconds);
console.log(`  ${''.padEnd(34)} ${simulateSeconds.toFixed(2)} s, ${format(fastqBytes, 0)}B of FASTQ`);
const wgsim = spawnSync('wgsim', ['-h'], { encoding: 'utf8' });
if (wgsim.error) {
  console.log('  wgsim not installed (apt-get install -y samtools): no comparison');
} else {
  const started = performance.now();
  execFileSync(
    'wgsim',
    [
      ...`-S ${SEED} -N 500000 -1 150 -2 150 -r 0.001 -R 0.15 -e 0.002`.split(' '),
      referencePath,
      join(dir, 'w_1.fq'),
      join(dir, 'w_2.fq'),
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const wgsimSeconds = (performance.now() - started) / 1000;
  line('wgsim (C, samtools)', 1_000_000 / wgsimSeconds);
  console.log(`  ratio native / wgsim: ${(wgsimSeconds / simulateSeconds).toFixed(1)}×  (target ≥ 1×, ambition 3×)`);
}

console.log('\nFASTQ parsing into batches (producer thread), 8192 reads per batch');
for (const [label, path] of [
  ['uncompressed', join(dir, 'sim_1.fq')],
  ['gzip', join(dir, 'sim_1.fq.gz')],
] as const) {
  if (label === 'gzip') {
    execFileSync('sh', ['-c', `gzip -1 -c '${join(dir, 'sim_1.fq')}' > '${path}'`]);
  }
  const uncompressedBytes = statSync(join(dir, 'sim_1.fq')).size;
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const producer = Producer.fastq([path], { batchSize: 8192, maxBufferedBatches: 4 });
    const started = performance.now();
    let reads = 0;
    for (let batch = await producer.next(); batch; batch = await producer.next()) reads += batch.reads;
    const seconds = (performance.now() - started) / 1000;
    producer.close();
    if (reads !== 500_000) throw new Error(`read ${reads} reads, expected 500000`);
    best = Math.max(best, uncompressedBytes / seconds);
  }
  console.log(
    `  ${label.padEnd(34)} ${format(best).padStart(9)}B/s of FASTQ text${label === 'uncompressed' ? '  (target ≥ 500 MB/s)' : ''}`,
  );
}

const DETECT_READS = 500_000;
console.log(
  `\nDetection, one thread: Detector.analyse + Pileup.add, ${format(DETECT_READS, 0)} reads × ${READ_LENGTH} bp, error rate 0.002`,
);
const detectReference = Reference.random(REFERENCE_LENGTH, SEED);
const detectSample = detectReference.mutate({ seed: SEED });
const buildStarted = performance.now();
const index = await AlignerIndex.build(detectReference);
console.log(
  `  index build (off the JS thread): ${(performance.now() - buildStarted).toFixed(0)} ms, ${format(index.memoryBytes, 0)}B`,
);
let lastPileup: Pileup | undefined;
for (const batchSize of [256, 4096]) {
  const simulator = new ReadSimulator(detectSample, { seed: SEED, readLength: READ_LENGTH, errorRate: 0.002 });
  const batches: ReadBatch[] = [];
  for (let reads = 0; reads < DETECT_READS; reads += batchSize) batches.push(simulator.nextBatch(batchSize));
  const simulationRate = rate(() => simulator.nextBatch(batchSize).reads);
  const detector = new Detector(index);
  let best = 0;
  let mapped = 0;
  for (let run = 0; run < 3; run++) {
    const pileup = new Pileup(index);
    mapped = 0;
    const started = performance.now();
    for (const batch of batches) {
      const detection = detector.analyse(batch.bases, batch.qualities, batch.offsets);
      mapped += detection.mappedReads;
      pileup.add(detection.evidence);
    }
    best = Math.max(best, (batches.length * batchSize * 1000) / (performance.now() - started));
    lastPileup = pileup;
  }
  line(`detect, batches of ${batchSize}`, best);
  line(`simulate, batches of ${batchSize}`, simulationRate);
  console.log(
    `  ratio detect / simulate: ${(best / simulationRate).toFixed(2)}×; ${((100 * mapped) / (batches.length * batchSize)).toFixed(2)} % of reads mapped`,
  );
}
if (lastPileup) {
  const callStarted = performance.now();
  const calls = await new VariantCaller().callAll(lastPileup);
  const confirmedCalls = calls.filter((call) => call.status === 'CONFIRMED').length;
  console.log(
    `  VariantCaller.callAll at ${((DETECT_READS * READ_LENGTH) / REFERENCE_LENGTH).toFixed(0)}×: ${(performance.now() - callStarted).toFixed(0)} ms, ${confirmedCalls} confirmed of ${detectSample.variantCount} injected`,
  );
}
index.release();
