import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { DetectorsFactory } from '../pipeline/detector.js';
import {
  type BatchDetectors,
  BatchDiscardedError,
  type DetectionJob,
  type DetectionResult,
} from '../pipeline/detector.js';
import { decodeResult, encodeBatch, entryIdentity, type RawEntry } from './batch-codec.js';
import { duplicateConnection } from './redis-connection.js';
import { publishRunSpec, retireRunSpec } from './run-spec.js';
import type { StreamKeys } from './stream-keys.js';

/** Options of {@link StreamDetectors}. */
export interface StreamDetectorsOptions {
  /** The process's command connection; a second one is made for the blocking reads. */
  redis: Redis;
  keys: StreamKeys;
  runId: string;
  /** How often the stream's length and pending count are read (default 100 ms). */
  pollIntervalMs?: number;
  /** Told when the backlog changes, so the run's throttle can look again. */
  onBacklogChange(): void;
  /** Told when a worker gave up on a batch (moved it to the dead-letter stream). */
  onDeadLetter?(sequence: number, reason: string): void;
  /** Told once when batches wait and no result has come back for `stallAfterMs`. */
  onStalled?(waitingMs: number): void;
  /** Default 10 s. */
  stallAfterMs?: number;
}

interface Waiter {
  resolve(result: DetectionResult): void;
  reject(error: Error): void;
}

/** Creates the group at the start of the stream, unless it exists. */
export async function ensureConsumerGroup(redis: Redis, keys: StreamKeys): Promise<void> {
  try {
    await redis.xgroup('CREATE', keys.batches, keys.group, '0', 'MKSTREAM');
  } catch (error) {
    if (!(error as Error).message.startsWith('BUSYGROUP')) throw error;
  }
}

/**
 * A run's detectors when they are worker processes: each batch is appended to the `batches`
 * stream, and settles when its result appears on the `results` stream. A batch may come back
 * more than once (a worker died after reporting it); only the first settles it, so its evidence
 * is merged once. The backlog — the stream's length (waiting plus pending entries, as workers
 * delete what they acknowledge) plus what was sent since it was measured — is the pressure the
 * run's throttle sees; while Redis does not answer it is unknown, taken as infinite, and the
 * producer pauses.
 */
export class StreamDetectors implements BatchDetectors {
  readonly #options: StreamDetectorsOptions;
  readonly #redis: Redis;
  readonly #waiters = new Map<number, Waiter>();
  #reader: Redis | undefined;
  #closed = false;
  #streamLength = 0;
  #pendingEntries = 0;
  #sent = 0;
  #sentWhenMeasured = 0;
  #reachable = true;
  /** When the last result arrived, or the first batch was sent after a quiet spell. */
  #progressAt = performance.now();
  #stallReported = false;
  #polling: Promise<void> = Promise.resolve();
  #reading: Promise<void> = Promise.resolve();

  constructor(options: StreamDetectorsOptions) {
    this.#options = options;
    this.#redis = options.redis;
  }

  get inFlight(): number {
    return this.#waiters.size;
  }

  get queued(): number {
    const waiting = this.#streamLength - this.#pendingEntries + (this.#sent - this.#sentWhenMeasured);
    return Math.max(0, Math.min(this.#waiters.size, waiting));
  }

  get backlog(): number {
    if (!this.#reachable) return Number.POSITIVE_INFINITY;
    return this.#streamLength + (this.#sent - this.#sentWhenMeasured);
  }

  /** The stream is the queue: a batch can always be handed over; the throttle bounds it. */
  get hasIdleWorker(): boolean {
    return true;
  }

  async ready(): Promise<void> {
    await ensureConsumerGroup(this.#redis, this.#options.keys);
    this.#reader = duplicateConnection(this.#redis, `helix-results-${this.#options.runId}`);
    this.#reading = this.#readResults(this.#reader);
    this.#polling = this.#pollBacklog();
  }

  analyse(job: DetectionJob): Promise<DetectionResult> {
    const { runId, keys } = this.#options;
    return new Promise<DetectionResult>((resolve, reject) => {
      if (this.#waiters.size === 0) this.#progressAt = performance.now();
      this.#waiters.set(job.sequence, { resolve, reject });
      this.#sent += 1;
      this.#redis.xadd(keys.batches, '*', ...encodeBatch({ runId, ...job })).catch((error: Error) => {
        this.#settle(job.sequence)?.reject(error);
      });
    });
  }

  /**
   * Removes this run's batches that no worker has taken yet (a stop without drain); each is
   * rejected with {@link BatchDiscardedError}. Batches a worker holds finish normally.
   */
  async discardQueued(): Promise<void> {
    const { keys } = this.#options;
    const groups = (await this.#redis.xinfo('GROUPS', keys.batches)) as unknown[][];
    const group = groups.map(pairsToMap).find((info) => info.get('name') === keys.group);
    let after = String(group?.get('last-delivered-id') ?? '0-0');
    for (;;) {
      const entries = (await this.#redis.xrangeBuffer(keys.batches, `(${after}`, '+', 'COUNT', 500)) as RawEntry[];
      const last = entries.at(-1);
      if (!last) return;
      after = last[0].toString();
      const mine = entries.flatMap(([id, fields]) => {
        const identity = entryIdentity([id, fields]);
        return identity?.runId === this.#options.runId ? [{ id, sequence: identity.sequence }] : [];
      });
      if (mine.length === 0) continue;
      await this.#redis.xdel(keys.batches, ...mine.map(({ id }) => id));
      for (const { sequence } of mine) {
        this.#settle(sequence)?.reject(new BatchDiscardedError(`batch ${sequence} discarded by a stop without drain`));
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#reader?.disconnect();
    await Promise.allSettled([this.#reading, this.#polling]);
    await retireRunSpec(this.#redis, this.#options.keys, this.#options.runId);
  }

  #checkStalled(): void {
    const waitingMs = performance.now() - this.#progressAt;
    if (this.#waiters.size === 0 || this.#stallReported || waitingMs < (this.#options.stallAfterMs ?? 10_000)) return;
    this.#stallReported = true;
    this.#options.onStalled?.(Math.round(waitingMs));
  }

  #settle(sequence: number): Waiter | undefined {
    const waiter = this.#waiters.get(sequence);
    this.#waiters.delete(sequence);
    return waiter;
  }

  async #readResults(reader: Redis): Promise<void> {
    const { keys, runId } = this.#options;
    let lastId = '0-0';
    while (!this.#closed) {
      let reply: [Buffer, RawEntry[]][] | null;
      try {
        reply = (await reader.xreadBuffer('COUNT', 512, 'BLOCK', 1_000, 'STREAMS', keys.results, lastId)) as
          | [Buffer, RawEntry[]][]
          | null;
      } catch (error) {
        if (this.#closed) return;
        throw error;
      }
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      const done: Buffer[] = [];
      for (const entry of entries) {
        lastId = entry[0].toString();
        const message = decodeResult(entry);
        // Results of an earlier run whose owner is gone are cleared too.
        done.push(entry[0]);
        if (message.runId !== runId) continue;
        const waiter = this.#settle(message.sequence);
        if (!waiter) continue;
        this.#progressAt = performance.now();
        this.#stallReported = false;
        if (message.kind === 'analysed') {
          waiter.resolve(message.result);
        } else {
          this.#options.onDeadLetter?.(message.sequence, message.reason);
          waiter.reject(new Error(message.reason));
        }
      }
      await this.#redis.xdel(keys.results, ...done);
    }
  }

  async #pollBacklog(): Promise<void> {
    const { keys } = this.#options;
    const interval = this.#options.pollIntervalMs ?? 100;
    while (!this.#closed) {
      const sentBefore = this.#sent;
      const measured = await Promise.race([
        this.#redis.status === 'ready'
          ? this.#redis.multi().xlen(keys.batches).xpending(keys.batches, keys.group).exec()
          : Promise.resolve(null),
        sleep(1_000, null, { ref: false }),
      ]).catch(() => null);
      const reachable = Boolean(measured?.every(([error]) => !error));
      if (measured && reachable) {
        this.#streamLength = Number(measured[0]?.[1] ?? 0);
        this.#pendingEntries = Number((measured[1]?.[1] as unknown[] | undefined)?.[0] ?? 0);
        this.#sentWhenMeasured = sentBefore;
      }
      this.#reachable = reachable;
      this.#options.onBacklogChange();
      this.#checkStalled();
      await sleep(interval, undefined, { ref: false });
    }
  }
}

function pairsToMap(flat: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let index = 0; index + 1 < flat.length; index += 2) map.set(String(flat[index]), flat[index + 1]);
  return map;
}

/** Options of {@link streamDetectors}. */
export interface StreamTransportOptions {
  redis: Redis;
  keys: StreamKeys;
  onDeadLetter?(sequence: number, reason: string): void;
  /** How long batches may wait with no result before the run warns (default 10 s). */
  stallAfterMs?: number;
}

/** Runs' detectors as worker processes: publishes each run's reference, then streams its batches. */
export function streamDetectors(options: StreamTransportOptions): DetectorsFactory {
  return async ({ runId, config, reference, onBacklogChange, warning }) => {
    await publishRunSpec(options.redis, options.keys, { runId, config, reference });
    return new StreamDetectors({
      redis: options.redis,
      keys: options.keys,
      runId,
      onBacklogChange,
      onStalled: (waitingMs) =>
        warning('no detector worker has reported a batch; is `helix worker` running with this REDIS_URL?', {
          waitingMs,
        }),
      ...(options.onDeadLetter && { onDeadLetter: options.onDeadLetter }),
      ...(options.stallAfterMs !== undefined && { stallAfterMs: options.stallAfterMs }),
    });
  };
}
