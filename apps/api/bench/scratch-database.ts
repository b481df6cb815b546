import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { poolConfigFromUrl } from '../src/db/pool.js';
import { loadConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';

/** A database of a benchmark's own on DATABASE_URL's server (dropped by `drop`), or an embedded PostgreSQL. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const configured = loadConfig().databaseUrl;
  if (!configured) {
    const directory = await mkdtemp(join(tmpdir(), 'helix-bench-db-'));
    const embedded = await startEmbeddedDatabase(directory, createLogger('warn'));
    return {
      url: embedded.url,
      async drop() {
        await embedded.stop();
        await rm(directory, { recursive: true, force: true });
      },
    };
  }
  const name = `helix_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client(poolConfigFromUrl(configured));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(configured);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client(poolConfigFromUrl(configured));
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
