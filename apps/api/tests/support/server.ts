import type { AddressInfo } from 'node:net';
import { createKeyRing } from '../../src/auth/keys.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import type { ApiKey } from '../../src/env.js';
import { createLogger } from '../../src/logger.js';
import { type ApiServer, createApiServer } from '../../src/server.js';
import { createScratchDatabase, type ScratchDatabase } from './database.js';

/** Keys every in-process test server accepts. */
export const testKeys = {
  operator: 'operator-key-for-tests-0001',
  viewer: 'viewer-key-for-tests-00001',
} as const;

/** An API server on a free loopback port over its own scratch database. */
export interface TestServer {
  url: string;
  origin: string;
  database: Database;
  server: ApiServer;
  close(): Promise<void>;
}

/** Starts the real server, in process, on a scratch database with migrations applied. */
export async function startTestServer(): Promise<TestServer> {
  const scratch: ScratchDatabase = await createScratchDatabase();
  const logger = createLogger('silent');
  const database = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
  const keys: ApiKey[] = [
    { role: 'operator', key: testKeys.operator },
    { role: 'viewer', key: testKeys.viewer },
  ];
  const server = createApiServer({
    logger,
    keyRing: createKeyRing(keys),
    database: () => database,
    dashboardOrigin: 'http://127.0.0.1:3000',
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/graphql`,
    origin,
    database,
    server,
    async close() {
      await server.close();
      await database.close();
      await scratch.drop();
    },
  };
}

/** Posts a GraphQL operation over HTTP and returns the parsed body. */
export async function postGraphQL(
  url: string,
  query: string,
  options: { key?: string; variables?: Record<string, unknown> } = {},
): Promise<{
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.key && { authorization: `Bearer ${options.key}` }),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: response.status, body: await response.json() };
}
