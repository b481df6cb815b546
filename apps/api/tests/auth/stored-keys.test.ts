import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/api-key-store.js';
import { newStoredKey, storedKeyHash } from '../../src/auth/stored-keys.js';
import { HelixCloseCode } from '../../src/pubsub/close-codes.js';
import { createHelixPubSub } from '../../src/pubsub/events.js';
import { capturedLog } from '../support/captured-log.js';
import { postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { startReplica } from './replica.js';
import { subscribedSocket } from './subscribed-socket.js';

const me = '{ me { role label } }';
const listKeys = '{ apiKeys { id role label createdAt expiresAt lastUsedAt } }';
const createKey = `mutation Create($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { id role label expiresAt } }
}`;
const revokeKey = 'mutation Revoke($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }';

interface CreatedKey {
  key: string;
  apiKey: { id: string; role: string; label: string | null; expiresAt: string | null };
}

const log = capturedLog();

let api: TestServer;

beforeAll(async () => {
  api = await startTestServer({ logger: log.logger });
});

afterAll(async () => {
  await api?.close();
});

/** Creates a key over GraphQL as the operator and returns it, failing loudly on any error. */
async function created(input: Record<string, unknown>, url = api.url): Promise<CreatedKey> {
  const { body } = await postGraphQL(url, createKey, { key: testKeys.operator, variables: { input } });
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return (body.data as { createApiKey: CreatedKey }).createApiKey;
}

describe('keys created at run time', () => {
  it('should be used, listed with lastUsedAt, and refused over HTTP at once once revoked', async () => {
    const { key, apiKey } = await created({ role: 'VIEWER', label: 'lab screen', expiresAt: null });
    expect(key).toMatch(/^helix_key_/);
    expect(apiKey).toMatchObject({ role: 'VIEWER', label: 'lab screen', expiresAt: null });

    expect((await postGraphQL(api.url, me, { key })).body).toEqual({
      data: { me: { role: 'VIEWER', label: 'lab screen' } },
    });
    const listed = await postGraphQL(api.url, listKeys, { key: testKeys.operator });
    const entry = (listed.body.data as { apiKeys: { id: string; lastUsedAt: string | null }[] }).apiKeys.find(
      (stored) => stored.id === apiKey.id,
    );
    expect(entry?.lastUsedAt).not.toBeNull();

    const revoked = await postGraphQL(api.url, revokeKey, { key: testKeys.operator, variables: { id: apiKey.id } });
    expect(revoked.body.errors).toBeUndefined();
    expect((revoked.body.data as { revokeApiKey: { revokedAt: string | null } }).revokeApiKey.revokedAt).not.toBeNull();

    const refused = await postGraphQL(api.url, me, { key });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.body.errors?.[0]?.message).toMatch(/revoked/);
  });

  it("should close the revoked key's open WebSocket subscription with the enum's code within a second", async () => {
    const { key, apiKey } = await created({ role: 'VIEWER', label: 'wall display' });
    const { client, connected, closedWith } = subscribedSocket(api.wsUrl, key);
    try {
      await connected;
      const revokedAt = Date.now();
      await postGraphQL(api.url, revokeKey, { key: testKeys.operator, variables: { id: apiKey.id } });
      const closed = await closedWith;
      expect(closed.code).toBe(HelixCloseCode.Unauthenticated);
      expect(closed.reason).toMatch(/revoked/);
      expect(closed.at - revokedAt).toBeLessThan(1000);
    } finally {
      await client.dispose();
    }
  });

  it("should end the revoked key's SSE subscription within a second", async () => {
    const { key, apiKey } = await created({ role: 'VIEWER', label: 'sse screen' });
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: 'subscription { queueMetrics { queueDepth } }' }),
    });
    expect(response.status).toBe(200);
    const revokedAt = Date.now();
    await postGraphQL(api.url, revokeKey, { key: testKeys.operator, variables: { id: apiKey.id } });
    const text = await response.text();
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(text).toContain('UNAUTHENTICATED');
    expect(text).toContain('event: complete');
  });

  it('should refuse an expired key with 401 UNAUTHENTICATED', async () => {
    const key = newStoredKey();
    await new ApiKeyStore(api.database.pool).insert({
      hash: storedKeyHash(key),
      role: 'operator',
      label: 'last week',
      expiresAt: new Date(Date.now() - 60_000),
    });
    const { status, body } = await postGraphQL(api.url, me, { key });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(/expired/);
  });

  it('should let a key with a future expiry in until then', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const { key, apiKey } = await created({ role: 'OPERATOR', label: 'one hour', expiresAt });
    expect(apiKey.expiresAt).toBe(expiresAt);
    expect((await postGraphQL(api.url, me, { key })).body).toEqual({
      data: { me: { role: 'OPERATOR', label: 'one hour' } },
    });
  });
});

describe('who may manage keys', () => {
  it('should refuse a viewer creating, listing or revoking keys as forbidden', async () => {
    const operations: [string, Record<string, unknown>][] = [
      [createKey, { input: { role: 'OPERATOR', label: 'escalation' } }],
      [listKeys, {}],
      [revokeKey, { id: '00000000-0000-0000-0000-000000000000' }],
    ];
    for (const [query, variables] of operations) {
      const { body } = await postGraphQL(api.url, query, { key: testKeys.viewer, variables });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('should refuse a viewer key created at run time creating keys', async () => {
    const { key } = await created({ role: 'VIEWER', label: 'viewer' });
    const { body } = await postGraphQL(api.url, createKey, { key, variables: { input: { role: 'OPERATOR' } } });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('should let an operator key created at run time manage keys', async () => {
    const { key } = await created({ role: 'OPERATOR', label: 'second operator' });
    const { body } = await postGraphQL(api.url, createKey, { key, variables: { input: { role: 'VIEWER' } } });
    expect(body.errors).toBeUndefined();
  });
});

describe('refused key input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a label over 100 characters', { role: 'VIEWER', label: 'x'.repeat(101) }, 'label'],
    ['an expiry in the past', { role: 'VIEWER', expiresAt: new Date(Date.now() - 1_000).toISOString() }, 'expiresAt'],
  ];

  it.each(cases)('should refuse %s naming the field', async (_name, input, field) => {
    const { body } = await postGraphQL(api.url, createKey, { key: testKeys.operator, variables: { input } });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(body.errors?.[0]?.message).toContain(field);
  });

  it.each(['00000000-0000-0000-0000-000000000000', 'not-a-uuid'])(
    'should refuse revoking the unknown id %s as NOT_FOUND',
    async (id) => {
      const { body } = await postGraphQL(api.url, revokeKey, { key: testKeys.operator, variables: { id } });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    },
  );
});

describe('the audit log of key changes', () => {
  it('should say who created and revoked which key, without the key or its hash', async () => {
    const { key, apiKey } = await created({ role: 'VIEWER', label: 'audited' });
    await postGraphQL(api.url, revokeKey, { key: testKeys.operator, variables: { id: apiKey.id } });
    const lines = log.lines<Record<string, unknown>>('"audit":"apiKey"').filter((line) => line.keyId === apiKey.id);
    expect(lines).toEqual([
      expect.objectContaining({
        action: 'created',
        keyRole: 'viewer',
        keyLabel: 'audited',
        by: expect.stringMatching(/^key:/),
      }),
      expect.objectContaining({ action: 'revoked', by: expect.stringMatching(/^key:/) }),
    ]);
    const everything = log.text();
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(storedKeyHash(key));
  });
});

describe('keys across a restart', () => {
  it('should accept a key created before the API server restarted', async () => {
    const { key } = await created({ role: 'VIEWER', label: 'survivor' });
    const restarted = await startReplica(api.database, createHelixPubSub(), log.logger);
    try {
      const { body } = await postGraphQL(restarted.url, me, { key });
      expect(body).toEqual({ data: { me: { role: 'VIEWER', label: 'survivor' } } });
    } finally {
      await restarted.close();
    }
  });
});
