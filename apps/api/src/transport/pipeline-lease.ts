import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

// Renew or release only while the lease is still ours: a replica that stalled past the expiry
// must not take back, or delete, a lease another replica now holds.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Options of a {@link PipelineLease}. */
export interface PipelineLeaseOptions {
  redis: Redis;
  key: string;
  /** This replica's id, the lease's value while it holds it. */
  replicaId: string;
  logger: Logger;
  /** The lease lapses this long after its holder stops renewing it (default 10 s). */
  ttlMs?: number;
}

/**
 * The lease that makes one replica the producer of the cluster's run: taken with SET NX and an
 * expiry, renewed at a third of it while the run goes on, released when it ends. If the holder
 * dies, the lease lapses and another replica may start a run.
 */
export class PipelineLease {
  readonly #options: PipelineLeaseOptions;
  readonly #ttlMs: number;
  #renewal: NodeJS.Timeout | undefined;

  constructor(options: PipelineLeaseOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 10_000;
  }

  /** Takes the lease if nobody holds it; true when this replica now holds it. */
  async acquire(): Promise<boolean> {
    const { redis, key, replicaId, logger } = this.#options;
    const taken = await redis.set(key, replicaId, 'PX', this.#ttlMs, 'NX');
    if (taken !== 'OK') return false;
    clearInterval(this.#renewal);
    this.#renewal = setInterval(
      () => {
        redis.eval(RENEW, 1, key, replicaId, this.#ttlMs).then(
          (renewed) => {
            if (renewed === 0) logger.warn({ key }, 'pipeline lease lost; another replica may start a run');
          },
          (error: Error) => logger.warn({ reason: error.message }, 'pipeline lease could not be renewed'),
        );
      },
      Math.floor(this.#ttlMs / 3),
    );
    this.#renewal.unref();
    return true;
  }

  /** The replica holding the lease, if any. */
  async holder(): Promise<string | undefined> {
    return (await this.#options.redis.get(this.#options.key)) ?? undefined;
  }

  /** Gives the lease up (if this replica still holds it). */
  async release(): Promise<void> {
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    const { redis, key, replicaId } = this.#options;
    await redis.eval(RELEASE, 1, key, replicaId);
  }
}
