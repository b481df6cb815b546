import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { loadConfig } from '../../src/env.js';
import { createLogger } from '../../src/logger.js';

/**
 * Every test runs against a real PostgreSQL: DATABASE_URL when set (CI uses the machine's
 * server), otherwise an embedded server started here for the whole run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = loadConfig().databaseUrl;
  if (configured) {
    project.provide('databaseUrl', configured);
    return async () => undefined;
  }
  const directory = await mkdtemp(join(tmpdir(), 'helix-test-db-'));
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
