import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONCERN_LIST_TTL_MS } from '../../src/concern/list.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createHelixPubSub } from '../../src/pubsub/events.js';
import { startReplica } from '../auth/replica.js';
import { createScratchDatabase } from '../support/database.js';
import { postGraphQL, queryData, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { waitFor } from '../support/wait-for.js';

interface Listed {
  id: string;
  gene: string;
  aminoAcidChange: string;
  label: string | null;
}

interface StoredCall {
  contig: string;
  position: number;
  ref: string;
  alt: string;
  mutationOfConcern: { label: string } | null;
}

const ADD = `mutation ($input: AddMutationOfConcernInput!) {
  addMutationOfConcern(input: $input) { id gene aminoAcidChange label } }`;
const LIST = '{ mutationsOfConcern { id gene aminoAcidChange label } }';
const REMOVE = 'mutation ($id: ID!) { removeMutationOfConcern(id: $id) }';

const add = (url: string, input: Record<string, unknown>, key: string = testKeys.operator) =>
  postGraphQL(url, ADD, { key, variables: { input } });

const list = async (url: string) => (await queryData<{ mutationsOfConcern: Listed[] }>(url, LIST)).mutationsOfConcern;

/** The confirmed calls stored so far, with the mutation of concern each matches. */
const calls = async (url: string) => {
  const { variants } = await queryData<{ variants: { edges: { node: StoredCall }[] } }>(
    url,
    `{ variants(filter: { status: CONFIRMED }, first: 100) {
      edges { node { contig position ref alt mutationOfConcern { label } } } } }`,
  );
  return variants.edges.map((edge) => edge.node);
};

const tsvRequest = (origin: string, method: string, key: string | undefined, body?: string) =>
  fetch(`${origin}/mutations-of-concern.tsv`, {
    method,
    headers: { ...(key && { authorization: `Bearer ${key}` }), 'content-type': 'text/tab-separated-values' },
    ...(body !== undefined && { body }),
  });

describe('mutations of concern', () => {
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer();
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('over GraphQL', () => {
    it('should let operators add and remove entries, and viewers read them', async () => {
      const added = await add(api.url, { gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' });
      expect(added.body.errors).toBeUndefined();
      const entry = (added.body.data as { addMutationOfConcern: Listed }).addMutationOfConcern;
      expect(entry).toMatchObject({ gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' });
      await add(api.url, { gene: 'NC_045512.2', aminoAcidChange: 'A23403G' });
      expect(await list(api.url)).toEqual([
        { id: expect.any(String), gene: 'NC_045512.2', aminoAcidChange: 'A23403G', label: null },
        entry,
      ]);

      const removed = await queryData<{ removeMutationOfConcern: boolean }>(api.url, REMOVE, {
        key: testKeys.operator,
        variables: { id: entry.id },
      });
      expect(removed.removeMutationOfConcern).toBe(true);
      const again = await queryData<{ removeMutationOfConcern: boolean }>(api.url, REMOVE, {
        key: testKeys.operator,
        variables: { id: entry.id },
      });
      expect(again.removeMutationOfConcern).toBe(false);
      expect((await list(api.url)).map((listed) => listed.gene)).toEqual(['NC_045512.2']);
    });

    it('should run the operations of API.md as written', async () => {
      const added = await queryData<{ addMutationOfConcern: { id: string } }>(
        api.url,
        'mutation { addMutationOfConcern(input: { gene: "S", aminoAcidChange: "E484K", label: "immune escape" }) { id } }',
        { key: testKeys.operator },
      );
      const { id } = added.addMutationOfConcern;
      const listed = await queryData<{ mutationsOfConcern: Listed[] }>(
        api.url,
        'query { mutationsOfConcern { id gene aminoAcidChange label } }',
      );
      expect(listed.mutationsOfConcern).toContainEqual({
        id,
        gene: 'S',
        aminoAcidChange: 'E484K',
        label: 'immune escape',
      });
      const removed = await queryData<{ removeMutationOfConcern: boolean }>(
        api.url,
        `mutation { removeMutationOfConcern(id: "${id}") }`,
        { key: testKeys.operator },
      );
      expect(removed.removeMutationOfConcern).toBe(true);
    });

    it('should refuse changes from viewers and reads from anonymous callers', async () => {
      const byViewer = await add(api.url, { gene: 'katG', aminoAcidChange: 'S315T' }, testKeys.viewer);
      expect(byViewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const removeByViewer = await postGraphQL(api.url, REMOVE, { key: testKeys.viewer, variables: { id: 'x' } });
      expect(removeByViewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymous = await postGraphQL(api.url, LIST);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('should refuse a gene and change already listed, naming both', async () => {
      await add(api.url, { gene: 'S', aminoAcidChange: 'E484K', label: 'immune escape' });
      const twice = await add(api.url, { gene: 'S', aminoAcidChange: 'E484K', label: 'again' });
      expect(twice.body.errors?.[0]).toMatchObject({
        message: 'S E484K is already a mutation of concern',
        extensions: { code: 'BAD_USER_INPUT', field: 'aminoAcidChange' },
      });
    });

    it('should refuse a change it cannot read, naming the field', async () => {
      const refused = await add(api.url, { gene: 'S', aminoAcidChange: 'Glu484Lys' });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'aminoAcidChange' });
      expect(refused.body.errors?.[0]?.message).toContain('"Glu484Lys"');
    });
  });

  describe('as TSV over HTTP', () => {
    it('should merge an import, adding new entries and updating labels, and export the list', async () => {
      const imported = await tsvRequest(
        api.origin,
        'PUT',
        testKeys.operator,
        'gene\taminoAcidChange\tlabel\nS\tE484K\tescape from antibodies\nkatG\tS315T\tisoniazid resistance\n',
      );
      expect(imported.status).toBe(200);
      expect(await imported.json()).toEqual({ added: 1, updated: 1 });
      const exported = await tsvRequest(api.origin, 'GET', testKeys.viewer);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-type')).toBe('text/tab-separated-values; charset=utf-8');
      const text = await exported.text();
      expect(text).toBe(
        'gene\taminoAcidChange\tlabel\n' +
          'NC_045512.2\tA23403G\t\n' +
          'S\tE484K\tescape from antibodies\n' +
          'katG\tS315T\tisoniazid resistance\n',
      );
      // What was exported imports as it is, changing nothing.
      const reimported = await tsvRequest(api.origin, 'POST', testKeys.operator, text);
      expect(await reimported.json()).toEqual({ added: 0, updated: 0 });
    });

    it('should refuse a file with a bad line with 400 naming the line and field, and keep the list', async () => {
      const before = await list(api.url);
      const refused = await tsvRequest(
        api.origin,
        'PUT',
        testKeys.operator,
        'gene\taminoAcidChange\tlabel\ngyrA\tD94G\tfluoroquinolones\npncA\tH57\tpyrazinamide\n',
      );
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        line: 3,
        field: 'aminoAcidChange',
        error: expect.stringMatching(/^line 3/),
      });
      expect(await list(api.url)).toEqual(before);
    });

    it('should refuse imports with a viewer key and reads without a key', async () => {
      const byViewer = await tsvRequest(api.origin, 'PUT', testKeys.viewer, 'gene\taminoAcidChange\tlabel\n');
      expect(byViewer.status).toBe(403);
      expect((await tsvRequest(api.origin, 'GET', undefined)).status).toBe(401);
      expect((await tsvRequest(api.origin, 'DELETE', testKeys.operator)).status).toBe(405);
    });
  });

  describe('on stored calls', () => {
    it('should mark the stored call that a nucleotide entry names, and no other', async () => {
      await queryData(
        api.url,
        `mutation { startPipeline(input: { source: SIMULATED, referenceLength: 20000, readLength: 100,
          readsPerSecond: 20000, batchSize: 128, mutationRate: 0.002, errorRate: 0.001, seed: 7 }) { __typename } }`,
        { key: testKeys.operator },
      );
      const confirmed = async () => {
        const { variants } = await queryData<{ variants: { totalCount: number } }>(
          api.url,
          '{ variants(filter: { status: CONFIRMED }) { totalCount } }',
        );
        return variants.totalCount >= 2;
      };
      await waitFor(confirmed, 20_000, 'two confirmed calls');
      await queryData(api.url, 'mutation { stopPipeline(drain: true) { __typename } }', { key: testKeys.operator });
      const [first] = await calls(api.url);
      if (!first) throw new Error('no confirmed call');
      await add(api.url, {
        gene: first.contig,
        aminoAcidChange: `${first.ref}${first.position}${first.alt}`,
        label: 'watched site',
      });
      const marked = (await calls(api.url)).filter((call) => call.mutationOfConcern !== null);
      expect(marked).toEqual([{ ...first, mutationOfConcern: { label: 'watched site' } }]);
    });

    it("should show a change made at another replica in this replica's matches once its reading is older than the TTL", async () => {
      const replica = await startReplica(api.database, api.pubsub, createLogger('silent'));
      try {
        const [, second] = await calls(replica.url);
        if (!second) throw new Error('no second confirmed call');
        await add(api.url, {
          gene: second.contig,
          aminoAcidChange: `${second.ref}${second.position}${second.alt}`,
          label: 'watched elsewhere',
        });
        const seen = async () =>
          (await calls(replica.url)).some((call) => call.mutationOfConcern?.label === 'watched elsewhere');
        await waitFor(seen, CONCERN_LIST_TTL_MS + 2_000, 'the other replica to match the new entry');
      } finally {
        await replica.close();
      }
    });
  });
});

describe('the list across a restart', () => {
  it('should keep the list when the server starts again over the same database', async () => {
    const scratch = await createScratchDatabase();
    const logger = createLogger('silent');
    const pubsub = createHelixPubSub();
    try {
      const firstDatabase = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
      const first = await startReplica(firstDatabase, pubsub, logger);
      await add(first.url, { gene: 'rpoB', aminoAcidChange: 'S450L', label: 'rifampicin resistance' });
      await add(first.url, { gene: 'NC_045512.2', aminoAcidChange: 'A23403G', label: 'D614G' });
      const before = await list(first.url);
      await first.close();
      await firstDatabase.close();

      const secondDatabase = await openDatabase({ databaseUrl: scratch.url, dataDir: '/nonexistent', logger });
      const second = await startReplica(secondDatabase, pubsub, logger);
      try {
        expect(await list(second.url)).toEqual(before);
        expect(before).toHaveLength(2);
      } finally {
        await second.close();
        await secondDatabase.close();
      }
    } finally {
      await scratch.drop();
    }
  });
});
