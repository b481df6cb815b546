import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup: the PostgreSQL server the tests' API processes use. DATABASE_URL when set
 * (CI's server), otherwise an embedded one, started as the API's own tests start theirs.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    project.provide('databaseUrl', configured);
    return async () => undefined;
  }
  const { startEmbeddedDatabase } = await import('@helix/api/src/db/embedded.js');
  const { createLogger } = await import('@helix/api/src/logger.js');
  const directory = await mkdtemp(join(tmpdir(), 'helix-web-test-db-'));
  // As root the embedded server runs as the `postgres` user, which must be able to enter it.
  await chmod(directory, 0o755);
  const embedded = await startEmbeddedDatabase(directory, createLogger('warn'));
  project.provide('databaseUrl', embedded.url);
  return async () => {
    await embedded.stop();
    await rm(directory, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** A database of one test file's own on the test server; `create` may come later than its URL. */
export interface ScratchDatabase {
  url: string;
  create(): Promise<void>;
  drop(): Promise<void>;
}

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Names a fresh database on the test server (created by `create`, dropped by `drop`). */
export function scratchDatabase(): ScratchDatabase {
  const name = `helix_web_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    create: () => onServer(`CREATE DATABASE "${name}"`),
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
