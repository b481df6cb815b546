import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardOrigin, postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { subscribeSse, wsClient } from './support.js';

const STOP = 'mutation { stopPipeline(drain: true) { __typename ... on Error { message } } }';

describe('API security', () => {
  let api: TestServer;
  let outside: string;

  beforeAll(async () => {
    api = await startTestServer();
    outside = await mkdtemp(join(tmpdir(), 'helix-outside-'));
    await writeFile(join(outside, 'secret.fa'), '>secret\nACGT\n');
    await mkdir(join(api.inputDir, 'genomes'));
    await writeFile(join(api.inputDir, 'genomes', 'ref.fa'), '>chr1\nACGTACGTAC\n');
    await symlink(join(outside, 'secret.fa'), join(api.inputDir, 'escape.fa'));
  });

  afterAll(async () => {
    await api?.close();
    await rm(outside, { recursive: true, force: true });
  });

  describe('keys and roles', () => {
    it('should refuse a mutation without a key with 401 UNAUTHENTICATED', async () => {
      const { status, body } = await postGraphQL(api.url, STOP);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
    });

    it('should refuse a mutation from a viewer with 403 FORBIDDEN naming the role it needs', async () => {
      const { status, body } = await postGraphQL(api.url, STOP, { key: testKeys.viewer });
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(body.errors?.[0]?.message).toBe('This operation needs the operator role; your key grants viewer.');
    });

    it('should let an operator run a mutation (and report the typed error when nothing runs)', async () => {
      const { body } = await postGraphQL(api.url, STOP, { key: testKeys.operator });
      expect(body).toEqual({
        data: { stopPipeline: { __typename: 'PipelineNotRunningError', message: 'No run is going on.' } },
      });
    });

    it('should refuse a query without a key', async () => {
      const { body } = await postGraphQL(api.url, '{ pipeline { state } }');
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('should refuse a mutation from a viewer over graphql-ws too', async () => {
      const client = wsClient(api, testKeys.viewer);
      try {
        const result = await new Promise<unknown>((resolve, reject) =>
          client.subscribe({ query: STOP }, { next: resolve, error: reject, complete: () => undefined }),
        );
        expect(result).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
      } finally {
        await client.dispose();
      }
    });

    it('should refuse an SSE subscription without a key', async () => {
      const sse = subscribeSse(api.url, 'subscription { queueMetrics { state } }', { key: 'not-a-key-of-this-server' });
      const refused = await sse.log.waitFor((event) => Boolean(event.errors), 5_000);
      sse.stop();
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('should show file names in a run configuration to operators only', async () => {
      const {
        rows: [run],
      } = await api.database.pool.query<{ id: string }>(
        `INSERT INTO runs (id, source, config, reference_name, reference_length, status)
         VALUES (gen_random_uuid(), 'FASTQ', $1, 'chr1', 10, 'COMPLETED') RETURNING id`,
        [JSON.stringify({ referencePath: '/data/ref.fa', readsPaths: ['/data/r.fq'], batchSize: 256 })],
      );
      const query = 'query ($id: ID!) { run(id: $id) { config } }';
      const asViewer = await postGraphQL(api.url, query, { key: testKeys.viewer, variables: { id: run?.id } });
      const asOperator = await postGraphQL(api.url, query, { key: testKeys.operator, variables: { id: run?.id } });
      expect(JSON.parse((asViewer.body.data as { run: { config: string } }).run.config)).toEqual({ batchSize: 256 });
      expect(JSON.parse((asOperator.body.data as { run: { config: string } }).run.config)).toMatchObject({
        referencePath: '/data/ref.fa',
      });
    });
  });

  describe('query limits', () => {
    it('should reject a query nested 20 levels deep before executing it, naming the limit', async () => {
      const query = `{ ${nestedSelection(20)} }`;
      const { status, body } = await postGraphQL(api.url, query, { key: testKeys.viewer });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toBe('Syntax Error: Query depth limit of 10 exceeded, found 20.');
    });

    it('should reject a query with 1000 aliases before executing it', async () => {
      const aliases = Array.from({ length: 1000 }, (_, index) => `a${index}: pipeline { state }`).join(' ');
      const { status, body } = await postGraphQL(api.url, `{ ${aliases} }`, { key: testKeys.viewer });
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toMatch(/(Token|Aliases) limit of \d+ exceeded/);
    });

    it('should reject 16 aliases by the alias limit', async () => {
      const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: pipeline { state }`).join(' ');
      const { body } = await postGraphQL(api.url, `{ ${aliases} }`, { key: testKeys.viewer });
      expect(body.errors?.[0]?.message).toMatch(/Aliases limit of 15 exceeded, found 16/);
    });

    it('should reject an over-deep subscription over graphql-ws before subscribing', async () => {
      const client = wsClient(api);
      try {
        const rejected = await new Promise<unknown>((resolve) =>
          client.subscribe(
            { query: `subscription { ${nestedSelection(20).replace('pipeline', 'pipelineStatus')} }` },
            { next: () => undefined, error: resolve, complete: () => undefined },
          ),
        );
        expect(JSON.stringify(rejected)).toMatch(/depth limit/);
      } finally {
        await client.dispose();
      }
    });

    it('should refuse a page larger than 100', async () => {
      const { body } = await postGraphQL(api.url, '{ runs(first: 101) { totalCount } }', { key: testKeys.viewer });
      expect(body.errors?.[0]?.message).toBe('first must be between 0 and 100');
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    });

    it('should refuse a request body over the size limit with 413', async () => {
      const padding = ' '.repeat(200_000);
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${testKeys.viewer}` },
        body: JSON.stringify({ query: `{ pipeline { state }${padding}}` }),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.stringMatching(/at most 100000 are accepted/) }],
      });
    });

    it('should refuse mutations beyond the rate limit with 429 and a retry time', async () => {
      const limitedApi = await startTestServer({ limits: { mutationBurst: 5, mutationsPerMinute: 5 } });
      try {
        const statuses: number[] = [];
        let limited: { message: string; extensions?: { code?: string } } | undefined;
        for (let attempt = 0; attempt < 8; attempt += 1) {
          const { status, body } = await postGraphQL(limitedApi.url, STOP, { key: testKeys.operator });
          statuses.push(status);
          if (status === 429) limited = body.errors?.[0];
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
        expect(limited?.extensions?.code).toBe('RATE_LIMITED');
        expect(limited?.message).toMatch(/at most 5 a minute\. Try again in \d+ s\./);
        const query = await postGraphQL(limitedApi.url, '{ pipeline { state } }', { key: testKeys.operator });
        expect(query.status).toBe(200);
      } finally {
        await limitedApi.close();
      }
    });
  });

  describe('browsers', () => {
    it('should refuse a simple GET query without the CSRF header', async () => {
      const response = await fetch(`${api.url}?query=${encodeURIComponent('{ pipeline { state } }')}`, {
        headers: { authorization: `Bearer ${testKeys.viewer}`, accept: 'application/json' },
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/CSRF/);
    });

    it('should answer a GET query that carries the CSRF header', async () => {
      const response = await fetch(`${api.url}?query=${encodeURIComponent('{ pipeline { state } }')}`, {
        headers: {
          authorization: `Bearer ${testKeys.viewer}`,
          accept: 'application/json',
          'x-graphql-yoga-csrf': '1',
        },
      });
      expect(await response.json()).toEqual({ data: { pipeline: { state: 'IDLE' } } });
    });

    it('should allow the dashboard origin, and no other, by CORS', async () => {
      const preflight = (origin: string) =>
        fetch(api.url, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
      const allowed = await preflight(dashboardOrigin);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(dashboardOrigin);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      const foreign = await preflight('https://evil.example');
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('files named by clients', () => {
    const start = (referencePath: string, key: string = testKeys.operator) =>
      postGraphQL(
        api.url,
        `mutation ($path: String!) { startPipeline(input: { referencePath: $path, readsPerSecond: 1000 }) {
          __typename ... on InvalidInputError { message field } } }`,
        { key, variables: { path: referencePath } },
      );

    it.each([
      ['a path with ..', '../../etc/passwd', /must not contain "\.\." segments/],
      ['a path with .. inside', 'genomes/../../secret.fa', /must not contain "\.\." segments/],
      ['an absolute path outside the input directory', '/etc/passwd', /inside the input directory/],
      ['a symbolic link leading outside', 'escape.fa', /leads outside the input directory/],
      ['a file that does not exist', 'genomes/missing.fa', /no such file/],
      ['a directory', 'genomes', /not a regular file/],
    ])('should answer InvalidInputError for %s', async (_case, path, message) => {
      const { body } = await start(path);
      expect(body.data).toEqual({
        startPipeline: {
          __typename: 'InvalidInputError',
          message: expect.stringMatching(message),
          field: 'referencePath',
        },
      });
    });

    it('should refuse a viewer naming a server file at all', async () => {
      const { body } = await start('genomes/ref.fa', testKeys.viewer);
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('should name the invalid field of a run configuration', async () => {
      const { body } = await postGraphQL(
        api.url,
        'mutation { startPipeline(input: { highWater: 10, lowWater: 20 }) { __typename ... on InvalidInputError { message field } } }',
        { key: testKeys.operator },
      );
      expect(body.data).toEqual({
        startPipeline: {
          __typename: 'InvalidInputError',
          message: 'lowWater must be below highWater',
          field: 'lowWater',
        },
      });
    });

    it('should refuse a ploidy other than 1 or 2, naming the field', async () => {
      const { body } = await postGraphQL(
        api.url,
        'mutation { startPipeline(input: { ploidy: 3 }) { __typename ... on InvalidInputError { message field } } }',
        { key: testKeys.operator },
      );
      expect(body.data).toEqual({
        startPipeline: {
          __typename: 'InvalidInputError',
          message: 'ploidy must be 1 (haploid) or 2 (diploid)',
          field: 'ploidy',
        },
      });
    });
  });

  describe('unknown ids', () => {
    it.each([
      ['run', 'query ($id: ID!) { run(id: $id) { id } }', '00000000-0000-0000-0000-000000000000'],
      ['run (not a UUID)', 'query ($id: ID!) { run(id: $id) { id } }', "1' OR 1=1 --"],
      ['analysis', 'query ($id: ID!) { analysis(id: $id) { id } }', '987654321'],
      ['variant', 'query ($id: ID!) { variant(id: $id) { id } }', 'V1.bm90LWEtdmFyaWFudA'],
      ['stats', 'query ($id: ID!) { stats(runId: $id) { readsAnalysed } }', '00000000-0000-0000-0000-000000000000'],
      [
        'metricsHistory',
        'query ($id: ID!) { metricsHistory(runId: $id) { at } }',
        '00000000-0000-0000-0000-000000000000',
      ],
    ])('should answer null for an unknown %s', async (_name, query, id) => {
      const { status, body } = await postGraphQL(api.url, query, { key: testKeys.viewer, variables: { id } });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(Object.values(body.data as object)).toEqual([null]);
    });

    it('should answer an empty page for the analyses of an unknown run', async () => {
      const { body } = await postGraphQL(
        api.url,
        '{ analyses(filter: { runId: "00000000-0000-0000-0000-000000000000" }) { totalCount edges { cursor } } }',
        { key: testKeys.viewer },
      );
      expect(body).toEqual({ data: { analyses: { totalCount: 0, edges: [] } } });
    });
  });
});

/**
 * A selection `levels` deep. The schema itself is at most 5 deep (analyses → edges → node → run →
 * id), so the inner levels name no real field: the depth limit must reject it before validation
 * of field names, let alone execution.
 */
function nestedSelection(levels: number): string {
  let selection = 'id';
  for (let level = levels - 2; level >= 1; level -= 1) selection = `level${level} { ${selection} }`;
  return `pipeline { ${selection} }`;
}
