import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type EmbeddedDatabase, findFreePort, startEmbeddedDatabase } from '../../src/db/embedded.js';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { migrationsDirectory } from '../../src/paths.js';

/** A migrated PostgreSQL of the test's own that can be stopped and started again on the same port. */
export interface RestartableDatabase {
  /** A pool that survives the restarts (idle connection errors are ignored). */
  pool: pg.Pool;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  dispose(): Promise<void>;
}

/** Starts an embedded server in a temporary directory, for outage tests. */
export async function startRestartableDatabase(): Promise<RestartableDatabase> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-outage-'));
  // As root the server runs as "postgres", which must be able to enter the directory.
  await chmod(directory, 0o755);
  const logger = createLogger('silent');
  const port = await findFreePort();
  let server: EmbeddedDatabase = await startEmbeddedDatabase(directory, logger, { port });
  const pool = new pg.Pool({ ...poolConfigFromUrl(server.url), connectionTimeoutMillis: 1_000 });
  pool.on('error', () => undefined);
  await applyMigrations(pool, await readMigrations(migrationsDirectory));
  return {
    pool,
    stop: () => server.stop(),
    async start() {
      server = await startEmbeddedDatabase(directory, logger, { port });
    },
    async dispose() {
      await pool.end();
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
