import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { poolConfigFromUrl } from '../../src/db/pool.js';

/** A database of its own for one test file, dropped when the file is done. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The URL of the PostgreSQL server the test run uses. */
export function serverUrl(): string {
  return inject('databaseUrl');
}

/** Creates an empty database on the test server, so test files never see each other's rows. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const base = serverUrl();
  const name = `helix_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client(poolConfigFromUrl(base));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client(poolConfigFromUrl(base));
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
