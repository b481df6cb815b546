/**
 * Time-to-detection benchmark of a live sequencing run: `helix simulate --run-dir` writes a
 * MinKNOW folder of 24 barcoded samples over time (one gzipped FASTQ per sample per round, written
 * as `*.tmp` and renamed, as MinKNOW does) while the API server, in this process with a real
 * pipeline, follows it as a DIRECTORY run; a graphql-ws client subscribed to `mutationDetected`
 * stamps each alarm as it arrives. Reported:
 *
 *   - file arrival → alarm received, p50 / p99 / max: `fileArrivedAt` is the modification time of
 *     the file holding the deciding read (the latest among the sample's files analysed when the call
 *     was confirmed), so this includes the watcher finding the file, waiting its turn behind other
 *     samples' files, reading, aligning, calling and delivery;
 *   - alarm sent (`detectedAt`) → received, p50 / p99: the subscription's own share;
 *   - alarms against the truth VCFs (true alarms, truth variants found), and reads until detection;
 *   - the pipeline's reads/s in the same run, and the most files that waited on disk (and batches
 *     in the queue, to tell a backlog of files from one of batches).
 *
 * By default the writer is not paced: it writes as fast as it can, which on 2 cores is about what
 * the pipeline takes (the files waiting on disk stay within two rounds), so this is the pipeline's
 * full rate; both rates are printed. The run takes the next files while it reads one (found,
 * fingerprinted and entered in its ledger ahead, a round of barcodes in one or two writes), so on
 * cores busy with other work the writer outruns it only by a round or so: what is left of the
 * figure is that round's drain time. BENCH_LATENCY_READS_PER_SECOND paces the writer instead
 * (over all samples; a MinION delivers a few hundred reads/s). Well above the pipeline's rate, files
 * wait on disk and the figure becomes the backlog's drain time, which grows with the run. No peer
 * tool reports this live (RAMPART, minoTour and HiLive2 show results as they come but publish no
 * file-to-alarm latency), so there is no baseline.
 *
 *   npm run bench -w @helix/api          (all benchmarks)
 *   npx tsx bench/live-latency.ts        (this one; BENCH_LATENCY_SAMPLES=24 BENCH_LATENCY_READS=6000
 *                                         BENCH_LATENCY_CHUNK_READS=500 BENCH_LATENCY_READS_PER_SECOND=…)
 *
 * Uses DATABASE_URL's server (in a scratch database, dropped afterwards) or an embedded PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Reference } from '@helix/native';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { openDatabase } from '../src/db/database.js';
import { loadConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import { helixServer } from './helix-server.js';
import { scratchDatabase } from './scratch-database.js';

const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 24);
const READS_PER_SAMPLE = Number(process.env.BENCH_LATENCY_READS ?? 6_000);
const CHUNK_READS = Number(process.env.BENCH_LATENCY_CHUNK_READS ?? 500);
/** The writer's pace over all samples; unset, it writes as fast as it can. */
const READS_PER_SECOND = process.env.BENCH_LATENCY_READS_PER_SECOND
  ? Number(process.env.BENCH_LATENCY_READS_PER_SECOND)
  : undefined;
/** A SARS-CoV-2-sized genome: 6,000 reads of 150 bases give each sample about 30×. */
const REFERENCE_LENGTH = 29_903;
const KEY = 'bench-operator-key-for-live-latency-0001';
const RUN = 'run-live-latency';
const cli = fileURLToPath(new URL('../src/cli-main.ts', import.meta.url));
const logger = createLogger('silent');

/** One alarm as the subscriber received it. */
interface ReceivedAlarm {
  sample: string;
  position: number;
  alt: string;
  fileArrivedAt: string | null;
  detectedAt: string | null;
  readsUntilDetection: number | null;
  receivedAt: number;
}

const ALARMS = `subscription { mutationDetected {
  sample position alt fileArrivedAt detectedAt readsUntilDetection } }`;

const START = `mutation ($directory: String!, $reference: String!) {
  startPipeline(input: { source: DIRECTORY, directory: $directory, referencePath: $reference, readsPerSecond: 0 }) {
    __typename ... on Run { id } ... on InvalidInputError { message field } } }`;

/** The value at quantile `q` (nearest rank) of `values`; NaN when there are none. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
}

/** Every truth variant of the run folder, as `sample:position:alt`. */
async function truthSites(runDir: string): Promise<Set<string>> {
  const sites = new Set<string>();
  for (const file of await readdir(join(runDir, 'truth'))) {
    const sample = file.replace(/\.vcf$/, '');
    for (const line of (await readFile(join(runDir, 'truth', file), 'utf8')).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const [, position, , , alt] = line.split('\t');
      sites.add(`${sample}:${position}:${alt}`);
    }
  }
  return sites;
}

/** `helix simulate --run-dir` as a process of its own, as a sequencer is. */
function startWriter(runDir: string, reference: string): ChildProcess {
  const intervalMs = READS_PER_SECOND ? Math.round(((SAMPLES * CHUNK_READS) / READS_PER_SECOND) * 1_000) : 0;
  const args = [
    ...['simulate', '--run-dir', runDir, '--reference', reference, '--samples', String(SAMPLES)],
    ...['--reads', String(READS_PER_SAMPLE), '--chunk-reads', String(CHUNK_READS)],
    ...['--chunk-interval-ms', String(intervalMs), '--seed', '16'],
  ];
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const ms = (value: number) => `${Number.isNaN(value) ? '—' : Math.round(value).toLocaleString('en')} ms`;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(40)} ${value}`);

async function main(): Promise<void> {
  const scratch = await scratchDatabase();
  const inputDir = await mkdtemp(join(tmpdir(), 'helix-bench-live-'));
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: tmpdir(), logger });
  // Run folders followed as `helix serve` follows them.
  const { server, pipeline, close } = helixServer(database, {
    key: KEY,
    inputDir,
    folders: { inputDir, settleMs: loadConfig().watchSettleMs },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${KEY}` },
  });
  const alarms: ReceivedAlarm[] = [];
  const unsubscribe = client.subscribe<{ mutationDetected: Omit<ReceivedAlarm, 'receivedAt'> }>(
    { query: ALARMS },
    {
      next: ({ data }) => data && alarms.push({ ...data.mutationDetected, receivedAt: Date.now() }),
      error: (error) => console.error('alarm subscription failed', error),
      complete: () => undefined,
    },
  );
  try {
    const runDir = join(inputDir, RUN);
    await mkdir(runDir);
    const reference = join(inputDir, 'reference.fa');
    Reference.random(REFERENCE_LENGTH, 16).writeFasta(reference);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: START, variables: { directory: RUN, reference: 'reference.fa' } }),
    });
    const started = ((await response.json()) as { data?: { startPipeline: { __typename: string } } }).data;
    if (started?.startPipeline.__typename !== 'Run')
      throw new Error(`the run did not start: ${JSON.stringify(started)}`);
    // Give the subscription its first message before any file exists.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const startedAt = performance.now();
    const writer = startWriter(runDir, reference);
    let mostFilesWaiting = 0;
    let mostBatchesQueued = 0;
    const sampler = setInterval(() => {
      const metrics = pipeline.metrics();
      mostFilesWaiting = Math.max(mostFilesWaiting, metrics.filesWaiting);
      mostBatchesQueued = Math.max(mostBatchesQueued, metrics.queueDepth);
    }, 100);
    const [code] = (await once(writer, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`helix simulate exited with ${code}`);
    const writtenIn = (performance.now() - startedAt) / 1_000;
    const outcome = await pipeline.whenRunEnds();
    const seconds = (performance.now() - startedAt) / 1_000;
    clearInterval(sampler);
    // Alarms of the final calls go out at the run's end: let them arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const truth = await truthSites(runDir);
    const live = alarms.filter((alarm) => alarm.fileArrivedAt !== null && alarm.detectedAt !== null);
    const fromArrival = live.map((alarm) => alarm.receivedAt - Date.parse(alarm.fileArrivedAt ?? ''));
    const delivery = live.map((alarm) => alarm.receivedAt - Date.parse(alarm.detectedAt ?? ''));
    const alarmKeys = alarms.map((alarm) => `${alarm.sample}:${alarm.position}:${alarm.alt}`);
    const trueAlarms = alarmKeys.filter((key) => truth.has(key)).length;
    // A call confirmed, demoted and confirmed again is announced again: count each truth variant once.
    const truthFound = new Set(alarmKeys.filter((key) => truth.has(key))).size;
    const reads = alarms.flatMap((alarm) => (alarm.readsUntilDetection === null ? [] : [alarm.readsUntilDetection]));
    const analysed = outcome.totals.readsAnalysed;

    console.log(
      `\nLive run: ${SAMPLES} samples × ${READS_PER_SAMPLE.toLocaleString('en')} reads in files of ${CHUNK_READS}, ` +
        `written ${READS_PER_SECOND ? `paced at ${READS_PER_SECOND.toLocaleString('en')}` : 'unpaced, at'} ` +
        `${Math.round((SAMPLES * READS_PER_SAMPLE) / writtenIn).toLocaleString('en')} reads/s; run ${outcome.status}`,
    );
    line('file arrival → alarm received, p50', ms(quantile(fromArrival, 0.5)));
    line('file arrival → alarm received, p99', ms(quantile(fromArrival, 0.99)));
    line('file arrival → alarm received, max', ms(quantile(fromArrival, 1)));
    line('alarm sent → received, p50 / p99', `${ms(quantile(delivery, 0.5))} / ${ms(quantile(delivery, 0.99))}`);
    line('alarms (with a file arrival)', `${alarms.length} (${live.length})`);
    line(
      'true alarms; truth variants found',
      `${trueAlarms}; ${truthFound} / ${truth.size} (${((100 * truthFound) / truth.size).toFixed(1)} %)`,
    );
    line('reads of the sample until detection, p50', quantile(reads, 0.5).toLocaleString('en'));
    line('pipeline reads/s (write start → run end)', Math.round(analysed / seconds).toLocaleString('en'));
    line(
      'reads analysed / written',
      `${analysed.toLocaleString('en')} / ${(SAMPLES * READS_PER_SAMPLE).toLocaleString('en')}`,
    );
    // Files waiting while few batches are queued: taking files is what holds the run back, not
    // the detectors; then the figure above is the backlog's drain time, not the pipeline's delay.
    line('most files waiting / batches queued', `${mostFilesWaiting} / ${mostBatchesQueued}`);
    line('target', 'file arrival → alarm p99 ≤ 1,000 ms (issue 16)');
    line('peers', 'none measured: no peer reports file-to-alarm latency live');
  } finally {
    unsubscribe();
    await client.dispose();
    await close();
    await database.close();
    await scratch.drop();
    await rm(inputDir, { recursive: true, force: true });
  }
}

await main();
