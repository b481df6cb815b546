import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, testKeys } from '../support/server.js';

describe('GraphQL over HTTP compliance', () => {
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer();
  });

  afterAll(async () => {
    await api?.close();
  });

  it("should pass every MUST of graphql-http's server audits (no audit at error level)", async () => {
    const audits = serverAudits({
      url: api.url,
      // A client with a viewer key, as any real client of this API has.
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${testKeys.viewer}`);
        return fetch(input, { ...init, headers });
      },
    });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const failures = results
      .filter((result) => result.status === 'error')
      .map((result) => `${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(audits.length);
    expect(results.filter((result) => result.status === 'ok').length).toBeGreaterThan(audits.length / 2);
  });
});
