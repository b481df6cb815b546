import { CloseCode, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postGraphQL, startTestServer, type TestServer, testKeys } from './support/server.js';

const RUNS_QUERY = '{ runs(first: 10) { totalCount edges { node { id status startedAt } } } }';

describe('API server', () => {
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer();
    await api.database.prisma.run.create({
      data: { source: 'SIMULATED', config: { seed: 7 }, referenceName: 'random', referenceLength: 200_000n },
    });
  });

  afterAll(async () => {
    await api.close();
  });

  describe('probes', () => {
    it('should answer /health with 200', async () => {
      const response = await fetch(`${api.origin}/health`);
      expect(response.status).toBe(200);
    });

    it('should answer /ready with 200 once migrations are applied', async () => {
      const response = await fetch(`${api.origin}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready' });
    });
  });

  describe('GraphQL over HTTP', () => {
    it('should list runs for an operator', async () => {
      const { status, body } = await postGraphQL(api.url, RUNS_QUERY, { key: testKeys.operator });
      expect(status).toBe(200);
      const runs = (body.data as { runs: { totalCount: number; edges: { node: { status: string } }[] } }).runs;
      expect(runs.totalCount).toBe(1);
      expect(runs.edges[0]?.node.status).toBe('RUNNING');
    });

    it('should serve counts beyond 32 bits exactly as SafeInt', async () => {
      const { body } = await postGraphQL(
        api.url,
        '{ runs(first: 1) { edges { node { referenceLength readsProduced } } } }',
        {
          key: testKeys.viewer,
        },
      );
      expect(body).toEqual({ data: { runs: { edges: [{ node: { referenceLength: 200_000, readsProduced: 0 } }] } } });
    });

    it('should report interpretation counters to a viewer', async () => {
      const { body } = await postGraphQL(
        api.url,
        '{ interpretation { model interpretedByRules interpretedByModel pending failures breakerState } }',
        { key: testKeys.viewer },
      );
      expect(body).toEqual({
        data: {
          interpretation: {
            model: null,
            interpretedByRules: 0,
            interpretedByModel: 0,
            pending: 0,
            failures: 0,
            breakerState: 'CLOSED',
          },
        },
      });
    });

    it('should let a viewer read runs', async () => {
      const { body } = await postGraphQL(api.url, RUNS_QUERY, { key: testKeys.viewer });
      expect(body.errors).toBeUndefined();
    });

    it('should refuse a caller without a key with UNAUTHENTICATED', async () => {
      const { body } = await postGraphQL(api.url, RUNS_QUERY);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('should treat an unknown key like no key', async () => {
      const { body } = await postGraphQL(api.url, RUNS_QUERY, { key: 'not-a-key-of-this-server' });
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('should answer null for an unknown run id', async () => {
      const { body } = await postGraphQL(api.url, 'query ($id: ID!) { run(id: $id) { id } }', {
        key: testKeys.viewer,
        variables: { id: '00000000-0000-0000-0000-000000000000' },
      });
      expect(body).toEqual({ data: { run: null } });
    });
  });

  describe('GraphQL over SSE', () => {
    it('should stream a result as server-sent events', async () => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${testKeys.viewer}`,
        },
        body: JSON.stringify({ query: '{ runs(first: 1) { totalCount } }' }),
      });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const text = await response.text();
      expect(text).toContain('event: next');
      expect(text).toContain('"totalCount":1');
      expect(text).toContain('event: complete');
    });
  });

  describe('graphql-ws', () => {
    const wsUrl = () => api.url.replace('http', 'ws');

    it('should run an operation for a client that authenticates in connection_init', async () => {
      const client = createClient({
        url: wsUrl(),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${testKeys.viewer}` },
      });
      try {
        const result = await new Promise((resolve, reject) => {
          client.subscribe(
            { query: '{ runs(first: 1) { totalCount } }' },
            { next: resolve, error: reject, complete: () => undefined },
          );
        });
        expect(result).toEqual({ data: { runs: { totalCount: 1 } } });
      } finally {
        await client.dispose();
      }
    });

    it('should close the socket as forbidden without a key', async () => {
      const closeCode = await new Promise<number>((resolve) => {
        const client = createClient({
          url: wsUrl(),
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          lazy: false,
          on: { closed: (event) => resolve((event as { code: number }).code) },
        });
        client.subscribe(
          { query: '{ runs(first: 1) { totalCount } }' },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        );
      });
      expect(closeCode).toBe(CloseCode.Forbidden);
    });
  });

  describe('GraphiQL', () => {
    it('should serve GraphiQL with its assets bundled, loading nothing from a CDN', async () => {
      const response = await fetch(api.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('<title>Helix-Throttle</title>');
      expect(html).not.toMatch(/<script[^>]+src="https?:/);
      expect(html).not.toMatch(/<link[^>]+href="https?:/);
    });
  });
});
