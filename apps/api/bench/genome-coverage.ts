/**
 * What keeping coverage costs a run: on a 5 Mbp reference (a bacterium) with 30× of 150 bp reads,
 * the time to take a sample's stored coverage (20,000 bins with their low-depth stretches, every 5 s
 * and at the run's end) and to write it, against the depth summary every sample already takes each
 * second; and what the genome view's answers cost: 500 bins over the whole genome and 10,000 single
 * bases from the live pileup, and 500 bins from the stored row. Prints milliseconds (median of
 * several) and ratios.
 *
 *   npx tsx bench/genome-coverage.ts [reads]
 *
 * Uses DATABASE_URL's server (in a scratch database, dropped afterwards) or an embedded PostgreSQL.
 */
import { AlignerIndex, Detector, Pileup, ReadSimulator, Reference } from '@helix/native';
import { upsertSampleCoverage } from '../src/db/coverage-rows.js';
import { openDatabase } from '../src/db/database.js';
import { rebinStored } from '../src/genome/coverage.js';
import { createLogger } from '../src/logger.js';
import { sampleCoverageRecords } from '../src/pipeline/sample-coverage.js';
import { storedCoverage } from '../src/read-model/coverage.js';
import { scratchDatabase } from './scratch-database.js';

const GENOME = 5_000_000;
const READ_LENGTH = 150;
const reads = Number(process.argv[2] ?? (GENOME * 30) / READ_LENGTH);
const BATCH = 5_000;
const ROUNDS = 7;

/** Median milliseconds of `rounds` calls of `work`, each after `before` (e.g. a change to the pileup). */
async function median(work: () => unknown, before: () => void = () => undefined): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    before();
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const reference = Reference.random(GENOME, 17, 'bench');
const index = await AlignerIndex.build(reference);
const detector = new Detector(index);
const simulator = new ReadSimulator(reference.mutate({ seed: 3 }), { readLength: READ_LENGTH, seed: 5 });
const pileup = new Pileup(index);
let last: Uint8Array | undefined;
for (let done = 0; done < reads; done += BATCH) {
  const batch = simulator.nextBatch(Math.min(BATCH, reads - done));
  last = detector.analyse(batch.bases, batch.qualities, batch.offsets).evidence;
  pileup.add(last);
}
const sample = {
  name: 'bench',
  coverageBins: (contig: string, from: number, to: number, bins: number) => pileup.coverageBins(contig, from, to, bins),
  lowDepthIntervals: (minDepth: number) => pileup.lowDepthIntervals(minDepth),
};
// A change before each round: a live pileup sums its depths again after every batch merged.
const changed = () => pileup.merge(new Pileup(index));
const summary = await median(() => pileup.depthSummary(), changed);
const records = await median(() => sampleCoverageRecords('run', sample, reference.contigs, 3, new Date()), changed);
// The pipeline takes it right after the second's summary, over depths that summary already summed.
const afterSummary = await median(
  () => sampleCoverageRecords('run', sample, reference.contigs, 3, new Date()),
  () => {
    changed();
    pileup.depthSummary();
  },
);
const wholeGenome = await median(() => pileup.coverageBins('bench', 1, GENOME, 500), changed);
const bases = await median(() => pileup.coverageBins('bench', 2_000_001, 2_010_000, 10_000), changed);

const scratch = await scratchDatabase();
const database = await openDatabase({
  databaseUrl: scratch.url,
  dataDir: '/nonexistent',
  logger: createLogger('warn'),
});
try {
  const { rows } = await database.pool.query<{ id: string }>(
    `INSERT INTO runs (id, source, config, reference_name, reference_length) VALUES (gen_random_uuid(), 'SIMULATED', '{}', 'bench', $1) RETURNING id`,
    [GENOME],
  );
  const runId = rows[0]?.id as string;
  const coverage = sampleCoverageRecords(runId, sample, reference.contigs, 3, new Date());
  const write = await median(() =>
    upsertSampleCoverage(
      database.pool,
      coverage.map((row) => ({ ...row, at: new Date() })),
    ),
  );
  const { rows: size } = await database.pool.query<{ bytes: number }>(
    'SELECT pg_column_size(depths) + pg_column_size(max_depths) + pg_column_size(low_depth) AS bytes FROM sample_coverage',
  );
  const stored = await median(async () => {
    const row = await storedCoverage(database.pool, runId, 'bench', 'bench');
    if (row) rebinStored(row, GENOME, 1, GENOME, 500);
  });
  const mean = pileup.depthSummary().meanDepth;
  console.log(`genome ${GENOME / 1e6} Mbp, ${reads} reads of ${READ_LENGTH} bp (mean depth ${mean.toFixed(1)}×)`);
  console.log(`depth summary (each second, already):     ${summary.toFixed(1)} ms`);
  console.log(
    `stored coverage taken (every 5 s):        ${records.toFixed(1)} ms  (${(records / summary).toFixed(2)}× the summary)`,
  );
  console.log(`  of which after that second's summary:   ${afterSummary.toFixed(1)} ms`);
  console.log(`stored coverage written:                  ${write.toFixed(1)} ms  (${size[0]?.bytes} bytes a row)`);
  console.log(`share of one core, every 5 s:             ${(((afterSummary + write) / 5_000) * 100).toFixed(2)} %`);
  console.log(`live: 500 bins over the genome:           ${wholeGenome.toFixed(1)} ms`);
  console.log(`live: 10,000 single bases:                ${bases.toFixed(1)} ms`);
  console.log(`stored: 500 bins over the genome:         ${stored.toFixed(1)} ms`);
} finally {
  await database.close();
  await scratch.drop();
}
