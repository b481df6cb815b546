import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** Raised when Redis does not answer at start; the message names the URL (password hidden). */
export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

/** The URL as it may be logged: any password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured REDIS_URL';
  }
}

/** The database number a Redis URL selects (`redis://host:6379/3` → 3). */
export function redisDatabaseIndex(url: string): number {
  const path = new URL(url).pathname.replace(/^\//, '');
  return path === '' ? 0 : Number.parseInt(path, 10) || 0;
}

/** Options of {@link connectRedis}. */
export interface RedisConnectOptions {
  /** Shown in `CLIENT LIST` and in log lines (e.g. `helix-worker`). */
  name: string;
  logger: Logger;
  /** How long the first connection may take (default 5 s). */
  connectTimeoutMs?: number;
}

/**
 * Connects to Redis and waits until it answers. The first connection is tried once: if it fails,
 * this rejects with {@link RedisUnavailableError}. After that, a lost connection is retried with
 * backoff (up to 2 s apart) and commands wait for it instead of failing, so a Redis restart
 * pauses the work rather than losing it. Outages and recoveries are logged once each.
 */
export async function connectRedis(url: string, options: RedisConnectOptions): Promise<Redis> {
  const { logger } = options;
  let connected = false;
  let outage = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: options.name,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => (connected ? Math.min(attempt * 100, 2_000) : null),
  });
  redis.on('error', (error: Error) => {
    if (!connected || outage) return;
    outage = true;
    logger.warn({ redis: redactRedisUrl(url), reason: error.message }, 'Redis connection lost, reconnecting');
  });
  redis.on('ready', () => {
    if (outage) logger.info({ redis: redactRedisUrl(url) }, 'Redis reconnected');
    outage = false;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = (error as Error).message;
    throw new RedisUnavailableError(
      `Redis at ${redactRedisUrl(url)} is not reachable (${reason}); check REDIS_URL and that redis-server is running`,
    );
  }
  connected = true;
  return redis;
}

/**
 * A second connection for blocking reads or pub/sub, with the same retry behaviour. Its
 * connection errors are not logged: the main connection already reports each outage once.
 */
export function duplicateConnection(redis: Redis, name: string): Redis {
  const duplicate = redis.duplicate({ connectionName: name });
  duplicate.on('error', () => undefined);
  return duplicate;
}
