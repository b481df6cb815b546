import { setTimeout as sleep } from 'node:timers/promises';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { migrationsDirectory } from '../paths.js';
import { startEmbeddedDatabase } from './embedded.js';
import { applyMigrations, pendingMigrations, readMigrations } from './migrations.js';
import { poolConfigFromUrl } from './pool.js';

/** The process's connection to PostgreSQL: a Prisma client and a raw pool for hand-written SQL. */
export interface Database {
  url: string;
  prisma: PrismaClient;
  pool: pg.Pool;
  /** True when the database answers and every committed migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

/** Where the database comes from and how hard to try reaching it. */
export interface DatabaseOptions {
  /** External PostgreSQL; when absent an embedded server is started under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  logger: Logger;
  /** Give up after this long if the database never answers (default: keep trying). */
  connectTimeoutMs?: number;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

/** Retries `attempt` with exponential backoff (capped at 5 s) until it succeeds or `deadline` passes. */
async function withBackoff<T>(attempt: () => Promise<T>, deadline: number, logger: Logger): Promise<T> {
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() + delay > deadline) throw error;
      logger.warn({ retryInMs: delay, reason: (error as Error).message }, 'database not reachable, retrying');
      await sleep(delay);
    }
  }
}

/**
 * Connects to PostgreSQL (external or embedded), waits for it with backoff, and applies pending
 * migrations. The server answers `/ready` 503 until this resolves.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  const embedded = options.databaseUrl ? undefined : await startEmbeddedDatabase(`${options.dataDir}/postgres`, logger);
  const url = options.databaseUrl ?? (embedded as { url: string }).url;
  const pool = new pg.Pool({ ...poolConfigFromUrl(url), max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server (database restart) must not crash the process.
  pool.on('error', (error) => logger.warn({ reason: error.message }, 'idle database connection lost'));
  const deadline = Date.now() + (options.connectTimeoutMs ?? Number.POSITIVE_INFINITY);
  const migrations = await readMigrations(migrationsDirectory);
  try {
    await withBackoff(() => pool.query('SELECT 1'), deadline, logger);
    if (options.migrate ?? true) {
      const applied = await applyMigrations(pool, migrations);
      if (applied.length > 0) logger.info({ migrations: applied }, 'database migrations applied');
    }
  } catch (error) {
    await pool.end();
    await embedded?.stop();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    prisma,
    pool,
    async isReady() {
      try {
        return (await pendingMigrations(pool, migrations)).length === 0;
      } catch {
        return false;
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}
