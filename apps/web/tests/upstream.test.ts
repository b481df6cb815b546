import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCode, type GraphQLResponseJson } from '@/lib/graphql/codes';
import { QueueMetricsSubscription } from '@/lib/graphql/operations';
import { type ApiProcess, startApi } from './support/api-server';
import { scratchDatabase } from './support/postgres';

type Upstream = typeof import('@/server/upstream');

/** The dashboard server's upstream module, configured (HELIX_API_URL) for one API. */
async function upstreamOf(api: ApiProcess): Promise<Upstream> {
  vi.stubEnv('HELIX_API_URL', api.graphqlUrl);
  vi.resetModules();
  return import('@/server/upstream');
}

/** The overview's live metrics, as the browser asks for them. */
const METRICS = { query: print(QueueMetricsSubscription) };

type MetricsResult = GraphQLResponseJson<{ queueMetrics: { state: string } }>;

const code = (result: GraphQLResponseJson | undefined) => result?.errors?.[0]?.extensions?.code;

/** Reads results until one passes `test`, and returns it. */
async function nextWhere(
  results: AsyncGenerator<GraphQLResponseJson>,
  test: (result: GraphQLResponseJson) => boolean,
): Promise<GraphQLResponseJson> {
  for (;;) {
    const { value, done } = await results.next();
    if (done) throw new Error('the operation ended');
    if (test(value)) return value;
  }
}

describe('subscribeUpstream, against the real API', () => {
  let api: ApiProcess;
  let upstream: Upstream;

  beforeAll(async () => {
    api = await startApi();
    upstream = await upstreamOf(api);
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await api?.close();
  });

  it('should stream the live metrics with a good key', async () => {
    const controller = new AbortController();
    const results = upstream.subscribeUpstream(METRICS, api.viewerKey, controller.signal);
    const first = (await results.next()).value as MetricsResult;
    expect(first.errors).toBeUndefined();
    expect(first.data?.queueMetrics.state).toBe('IDLE');
    controller.abort();
    expect((await results.next()).done).toBe(true);
  });

  it('should keep an operation open while the API is stopped and restarted, saying it is unreachable', async () => {
    const controller = new AbortController();
    const results = upstream.subscribeUpstream(METRICS, api.operatorKey, controller.signal);
    expect(code((await results.next()).value)).toBeUndefined();

    await api.stop();
    const down = await nextWhere(results, (result) => code(result) !== undefined);
    expect(code(down)).toBe(ErrorCode.ApiUnreachable);
    expect(down.errors?.[0]?.message).toContain(`The Helix API at ${api.graphqlUrl} is not reachable.`);

    await api.restart();
    const back = (await nextWhere(results, (result) => code(result) === undefined)) as MetricsResult;
    expect(back.data?.queueMetrics.state).toBe('IDLE');

    controller.abort();
    expect((await results.next()).done).toBe(true);
  });

  it('should end with UNAUTHENTICATED when the API rejects the key', async () => {
    const results = upstream.subscribeUpstream(METRICS, 'a-key-this-api-never-issued', new AbortController().signal);
    expect(code((await results.next()).value)).toBe(ErrorCode.Unauthenticated);
    expect((await results.next()).done).toBe(true);
  });

  it("should pass the API's validation errors on and end", async () => {
    const results = upstream.subscribeUpstream(
      { query: 'subscription { invalidField }' },
      api.operatorKey,
      new AbortController().signal,
    );
    const answer = (await results.next()).value;
    expect(answer?.errors?.[0]?.message).toBe('Cannot query field "invalidField" on type "Subscription".');
    expect((await results.next()).done).toBe(true);
  });
});

describe('subscribeUpstream, while the API waits for its database', () => {
  it('should say the API is not ready, keep trying, and stream once the database is there', async () => {
    const database = scratchDatabase();
    const api = await startApi({ database, waitUntil: 'listening' });
    try {
      const upstream = await upstreamOf(api);
      const controller = new AbortController();
      const results = upstream.subscribeUpstream(METRICS, api.operatorKey, controller.signal);
      const waiting = (await results.next()).value;
      expect(code(waiting)).toBe(ErrorCode.ApiUnreachable);
      expect(waiting?.errors?.[0]?.message).toContain('The database is not ready yet');

      await database.create();
      const ready = (await nextWhere(results, (result) => code(result) === undefined)) as MetricsResult;
      expect(ready.data?.queueMetrics.state).toBe('IDLE');
      controller.abort();
    } finally {
      vi.unstubAllEnvs();
      await api.close();
    }
  });
});
