import { setTimeout as sleep } from 'node:timers/promises';
import { AlignerIndex } from '@helix/native';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  analysisRecord,
  createDetectorThreads,
  type DetectionResult,
  type DetectorPool,
} from '../pipeline/detector.js';
import type { AnalysisRecord } from '../pipeline/records.js';
import { retryWithBackoff } from '../pipeline/retry.js';
import { defaultWorkerCount } from '../pipeline/worker-pool.js';
import { type BatchMessage, decodeBatch, encodeResult, entryIdentity, type RawEntry } from './batch-codec.js';
import { duplicateConnection } from './redis-connection.js';
import { loadRunReference } from './run-spec.js';
import { ensureConsumerGroup } from './stream-detectors.js';
import type { StreamKeys } from './stream-keys.js';

/** Options of a {@link StreamWorker}. */
export interface StreamWorkerOptions {
  redis: Redis;
  keys: StreamKeys;
  /** Where analyses are stored; must be idempotent by run and sequence. */
  store: { writeAnalyses(rows: AnalysisRecord[]): Promise<void> };
  logger: Logger;
  /** This worker's name in the consumer group (unique per process). */
  consumer: string;
  /** Detector threads (default: one per core). */
  threads?: number;
  /** Where saved aligner indexes go (default: beside the reference, else the user's cache). */
  indexDir?: string;
  /** A batch pending this long at a worker that went quiet is taken over (default 30 s). */
  claimIdleMs?: number;
  /** Deliveries after which a batch goes to the dead-letter stream (default 5). */
  maxDeliveries?: number;
  /** Told of every batch moved to the dead-letter stream. */
  onDeadLetter?(): void;
}

/** What a worker has done so far. */
export interface WorkerStats {
  batches: number;
  reads: number;
  reclaimed: number;
  deadLettered: number;
}

interface RunDetectors {
  index: AlignerIndex;
  pool: DetectorPool;
}

interface Analysed {
  id: Buffer;
  batch: BatchMessage;
  result: DetectionResult;
}

/** Batches taken per read and detector thread: enough to spread each read's round trips. */
const BATCHES_PER_READ_PER_THREAD = 8;

/** Runs whose detectors a worker keeps ready (the current one and the one before). */
const KEPT_RUNS = 2;

/**
 * A detector worker process's loop: reads batches through the consumer group, analyses them on
 * its detector threads, stores each batch's analysis (idempotent by run and sequence), reports
 * the evidence on the results stream, and only then acknowledges and deletes the batch. Batches
 * pending too long at another worker are taken over (XAUTOCLAIM); one delivered too many times,
 * or one the detector rejects, goes to the dead-letter stream and its run is told.
 */
export class StreamWorker {
  readonly #options: Required<Omit<StreamWorkerOptions, 'threads' | 'indexDir' | 'onDeadLetter'>> &
    Pick<StreamWorkerOptions, 'threads' | 'indexDir' | 'onDeadLetter'>;
  readonly #runs = new Map<string, Promise<RunDetectors | undefined>>();
  readonly stats: WorkerStats = { batches: 0, reads: 0, reclaimed: 0, deadLettered: 0 };
  /** Aborted by `stop`: ends the loop and any write retrying against an unreachable database. */
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: StreamWorkerOptions) {
    this.#options = { claimIdleMs: 30_000, maxDeliveries: 5, ...options };
  }

  /** Joins the consumer group and starts taking batches. */
  async start(): Promise<void> {
    await ensureConsumerGroup(this.#options.redis, this.#options.keys);
    this.#loop = this.#run();
  }

  /**
   * Finishes the batches in hand (stored, reported, acknowledged), then stops. Batches whose
   * analyses the database does not take are left pending, for another worker to take over.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
    for (const detectors of this.#runs.values()) await release(detectors);
    this.#runs.clear();
  }

  /**
   * Reads, analyses, and hands the analysed batches to a store-and-acknowledge step that runs
   * while the next batches are read and analysed (one such step at a time, so at most two
   * reads' worth of batches are pending here). Blocking reads use a connection of their own so
   * they never hold up an acknowledgement.
   */
  async #run(): Promise<void> {
    const { redis, keys, consumer } = this.#options;
    const reader = duplicateConnection(redis, `helix-worker-reads-${consumer}`);
    const batchCount = BATCHES_PER_READ_PER_THREAD * (this.#options.threads ?? defaultWorkerCount());
    const claimEvery = Math.min(this.#options.claimIdleMs, 5_000);
    let nextClaim = 0;
    let finishing: Promise<void> = Promise.resolve();
    while (!this.#stopping.signal.aborted) {
      try {
        if (Date.now() >= nextClaim) {
          await this.#reclaim();
          nextClaim = Date.now() + claimEvery;
        }
        const reply = (await reader.callBuffer(
          'XREADGROUP',
          'GROUP',
          keys.group,
          consumer,
          'COUNT',
          batchCount,
          'BLOCK',
          1_000,
          'STREAMS',
          keys.batches,
          '>',
        )) as [Buffer, RawEntry[]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        const analysed = await this.#analyse(entries);
        await finishing;
        finishing = this.#finish(analysed).catch((error: Error) =>
          // Left pending: this worker or another takes the batches over after the idle timeout.
          this.#options.logger.warn({ reason: error.message }, 'batches could not be acknowledged'),
        );
      } catch (error) {
        if (this.#stopping.signal.aborted) break;
        const reason = (error as Error).message;
        // A Redis that restarted without its data has lost the group too: make it again.
        if (reason.startsWith('NOGROUP')) {
          await ensureConsumerGroup(redis, keys).catch(() => undefined);
          continue;
        }
        this.#options.logger.warn({ reason }, 'worker step failed, retrying');
        await sleep(1_000);
      }
    }
    await finishing;
    reader.disconnect();
  }

  /** Takes over batches idle at other (presumably dead) workers. */
  async #reclaim(): Promise<void> {
    const { redis, keys, consumer, claimIdleMs, maxDeliveries } = this.#options;
    let cursor = '0-0';
    do {
      const [next, entries, deleted] = (await redis.callBuffer(
        'XAUTOCLAIM',
        keys.batches,
        keys.group,
        consumer,
        claimIdleMs,
        cursor,
        'COUNT',
        64,
      )) as [Buffer, RawEntry[], Buffer[]];
      cursor = next.toString();
      // Entries deleted from the stream while pending: nothing left to do but forget them.
      if (deleted.length > 0) await redis.xack(keys.batches, keys.group, ...deleted);
      if (entries.length === 0) continue;
      this.stats.reclaimed += entries.length;
      const deliveries = await this.#deliveries(entries);
      const fresh: RawEntry[] = [];
      for (const entry of entries) {
        const times = deliveries.get(entry[0].toString()) ?? 1;
        if (times > maxDeliveries) {
          await this.#deadLetter(entry, `batch delivered ${times} times without being analysed`, times);
        } else {
          fresh.push(entry);
        }
      }
      this.#options.logger.info({ batches: entries.length }, 'took over batches from a worker that went quiet');
      if (fresh.length > 0) await this.#finish(await this.#analyse(fresh));
    } while (cursor !== '0-0' && !this.#stopping.signal.aborted);
  }

  async #deliveries(entries: RawEntry[]): Promise<Map<string, number>> {
    const { redis, keys, consumer } = this.#options;
    const first = entries[0]?.[0].toString() ?? '-';
    const last = entries.at(-1)?.[0].toString() ?? '+';
    const rows = (await redis.xpending(keys.batches, keys.group, first, last, entries.length, consumer)) as [
      string,
      string,
      number,
      number,
    ][];
    return new Map(rows.map(([id, , , times]) => [id, times]));
  }

  /** Analyses entries; dead-letters those that cannot be, and acknowledges those of ended runs. */
  async #analyse(entries: RawEntry[]): Promise<Analysed[]> {
    const { redis, keys } = this.#options;
    const analysed: Analysed[] = [];
    const forgotten: Buffer[] = [];
    await Promise.all(
      entries.map(async (entry) => {
        let batch: BatchMessage;
        try {
          batch = decodeBatch(entry);
        } catch (error) {
          await this.#deadLetter(entry, (error as Error).message, 1);
          return;
        }
        const detectors = await this.#detectorsFor(batch.runId);
        if (!detectors) {
          forgotten.push(entry[0]);
          return;
        }
        try {
          analysed.push({ id: entry[0], batch, result: await detectors.pool.analyse(batch) });
        } catch (error) {
          // The detector's verdict on a batch does not change on redelivery: give up at once.
          await this.#deadLetter(entry, `batch ${batch.sequence}: ${(error as Error).message}`, 1);
        }
      }),
    );
    if (forgotten.length > 0) {
      this.#options.logger.info({ batches: forgotten.length }, 'dropped batches of a run that is over');
      await redis
        .multi()
        .xack(keys.batches, keys.group, ...forgotten)
        .xdel(keys.batches, ...forgotten)
        .exec();
    }
    return analysed;
  }

  /** Stores, reports and only then acknowledges analysed batches. */
  async #finish(analysed: Analysed[]): Promise<void> {
    if (analysed.length === 0) return;
    const { redis, keys } = this.#options;
    await this.#store(analysed);
    const report = redis.multi();
    for (const { batch, result } of analysed) {
      report.xadd(
        keys.results,
        '*',
        ...encodeResult({ runId: batch.runId, sequence: batch.sequence, kind: 'analysed', result }),
      );
    }
    const ids = analysed.map(({ id }) => id);
    await report
      .xack(keys.batches, keys.group, ...ids)
      .xdel(keys.batches, ...ids)
      .exec();
    for (const { batch } of analysed) {
      this.stats.batches += 1;
      this.stats.reads += batch.reads;
    }
  }

  /**
   * Stores the analyses, retrying until the database takes them (nothing is acknowledged before)
   * or the worker stops; then the batches stay pending for another worker to take over.
   */
  async #store(analysed: Analysed[]): Promise<void> {
    const rows = analysed.map(({ batch, result }) => analysisRecord(batch.runId, batch.sequence, result));
    await retryWithBackoff(() => this.#options.store.writeAnalyses(rows), {
      initialDelayMs: 100,
      maxDelayMs: 5_000,
      signal: this.#stopping.signal,
      onFailure: (error, retryInMs) =>
        this.#options.logger.warn({ reason: error.message, retryInMs: Math.round(retryInMs) }, 'analysis write failed'),
    });
  }

  async #deadLetter(entry: RawEntry, reason: string, deliveries: number): Promise<void> {
    const { redis, keys, consumer, logger } = this.#options;
    const [id, fields] = entry;
    // A malformed entry is kept as it is; there is no run to tell.
    const identity = entryIdentity(entry);
    const move = redis
      .multi()
      .xadd(keys.deadLetters, '*', ...fields, 'reason', reason, 'deliveries', String(deliveries), 'consumer', consumer);
    if (identity) move.xadd(keys.results, '*', ...encodeResult({ ...identity, kind: 'failed', reason }));
    await move.xack(keys.batches, keys.group, id).xdel(keys.batches, id).exec();
    this.stats.deadLettered += 1;
    this.#options.onDeadLetter?.();
    logger.error({ entry: id.toString(), ...identity, deliveries, reason }, 'batch moved to the dead-letter stream');
  }

  #detectorsFor(runId: string): Promise<RunDetectors | undefined> {
    let detectors = this.#runs.get(runId);
    if (!detectors) {
      detectors = this.#prepare(runId);
      this.#runs.set(runId, detectors);
      for (const [older, kept] of this.#runs) {
        if (this.#runs.size <= KEPT_RUNS) break;
        this.#runs.delete(older);
        void release(kept);
      }
    }
    return detectors;
  }

  async #prepare(runId: string): Promise<RunDetectors | undefined> {
    const spec = await loadRunReference(this.#options.redis, this.#options.keys, runId);
    if (!spec) return undefined;
    const { reference, circular, referencePath } = spec;
    const started = performance.now();
    // The saved index is checked against the published bases, so another machine's file at the same path is harmless.
    const index = await AlignerIndex.build(reference, {
      circular,
      ...(referencePath !== undefined && { referencePath }),
      ...(this.#options.indexDir !== undefined && { indexDir: this.#options.indexDir }),
    });
    for (const warning of index.warnings) this.#options.logger.warn({ runId }, warning);
    const pool = createDetectorThreads(index, {
      workers: this.#options.threads,
      warning: (message, detail) => this.#options.logger.warn(detail ?? {}, message),
    });
    try {
      await pool.ready();
    } catch (error) {
      await release(Promise.resolve({ index, pool }));
      throw error;
    }
    this.#options.logger.info(
      {
        runId,
        contigs: reference.contigs.length,
        indexMs: Math.round(performance.now() - started),
        indexMapped: index.mapped,
      },
      'ready for a new run',
    );
    return { index, pool };
  }
}

async function release(detectors: Promise<RunDetectors | undefined>): Promise<void> {
  const ready = await detectors.catch(() => undefined);
  if (!ready) return;
  await ready.pool.close();
  ready.index.release();
}
