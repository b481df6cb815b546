import { CloseCode, createClient } from 'graphql-ws';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createOidcSource } from '../../src/auth/oidc.js';
import { HelixCloseCode } from '../../src/pubsub/close-codes.js';
import { postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { type LocalIssuer, startLocalIssuer, unsignedToken } from './local-issuer.js';

const me = '{ me { role label } }';
const thresholds = 'mutation { updateThresholds(highWater: 300, lowWater: 50) { highWater } }';

let issuer: LocalIssuer;
let api: TestServer;

beforeAll(async () => {
  issuer = await startLocalIssuer();
  // No cooldown between JWKS fetches, so a rotated key is fetched at the first token that names it.
  const oidc = createOidcSource(
    { issuer: issuer.issuer, audience: issuer.audience, roleClaim: 'helix_role' },
    { jwksCooldownMs: 0 },
  );
  api = await startTestServer({ credentialSources: [oidc] });
});

afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

/** Opens a graphql-ws client with `token` and resolves with the code its socket closes with. */
function connect(token: string) {
  let closed: (event: { code: number; at: number }) => void = () => {};
  const closedWith = new Promise<{ code: number; at: number }>((resolve) => {
    closed = resolve;
  });
  const client = createClient({
    url: api.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    // The close is observed through `on.closed`; graphql-ws would otherwise print it.
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (event) => closed({ code: (event as { code: number }).code, at: Date.now() }) },
  });
  const first = (query: string) =>
    new Promise<unknown>((resolve, reject) => {
      client.subscribe({ query }, { next: resolve, error: reject, complete: () => undefined });
    });
  return { client, closedWith, first };
}

/** Subscribes to queue metrics over SSE with `token`. */
const subscribeOverSse = (token: string) =>
  fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: 'subscription { queueMetrics { queueDepth } }' }),
  });

describe('single sign-on on the VCF route', () => {
  const vcfOf = (token: string) =>
    fetch(`${api.origin}/runs/00000000-0000-0000-0000-000000000000/variants.vcf`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it('should let a valid viewer token past authentication (to the unknown run’s 404)', async () => {
    expect((await vcfOf(await issuer.sign({ role: 'viewer' }))).status).toBe(404);
  });

  it('should refuse an expired token with 401 and say why', async () => {
    const response = await vcfOf(await issuer.sign({ role: 'viewer', expiresIn: -60 }));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/expired/i);
  });
});

describe('single sign-on over HTTP', () => {
  it('should take the role and label of a valid operator token', async () => {
    const token = await issuer.sign({ role: 'operator', sub: 'ada', name: 'Ada Lovelace' });
    const { status, body } = await postGraphQL(api.url, me, { key: token });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { role: 'OPERATOR', label: 'Ada Lovelace' } } });
  });

  it('should label a token without a name by its subject', async () => {
    const token = await issuer.sign({ role: 'viewer', sub: 'grace' });
    const { body } = await postGraphQL(api.url, me, { key: token });
    expect(body).toEqual({ data: { me: { role: 'VIEWER', label: 'grace' } } });
  });

  it("should refuse a viewer token's mutation as forbidden and let an operator token's through", async () => {
    const viewer = await postGraphQL(api.url, thresholds, { key: await issuer.sign({ role: 'viewer' }) });
    expect(viewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const operator = await postGraphQL(api.url, thresholds, { key: await issuer.sign({ role: 'operator' }) });
    // Authorised: what stops it is the idle pipeline, not the caller.
    expect(operator.body.errors?.[0]?.extensions?.code).toBe('PIPELINE_NOT_RUNNING');
  });

  it('should still accept API keys beside tokens', async () => {
    const { body } = await postGraphQL(api.url, me, { key: testKeys.viewer });
    expect(body).toEqual({ data: { me: { role: 'VIEWER', label: null } } });
  });

  const refused: [string, () => Promise<string>, RegExp][] = [
    ['an expired token', () => issuer.sign({ role: 'operator', expiresIn: -60 }), /expired/],
    ['a token for another audience', () => issuer.sign({ role: 'operator', audience: 'someone-else' }), /"aud"/],
    ['a token from another issuer', () => issuer.sign({ role: 'operator', issuer: 'https://issuer.invalid' }), /"iss"/],
    [
      'a token signed with another key',
      async () => issuer.sign({ role: 'operator', signingKey: (await generateKeyPair('RS256')).privateKey }),
      /signature is invalid/,
    ],
    [
      'an unsigned token (alg none)',
      async () =>
        unsignedToken({
          sub: 'mallory',
          helix_role: 'operator',
          iss: issuer.issuer,
          aud: issuer.audience,
          exp: Math.floor(Date.now() / 1000) + 300,
        }),
      /algorithm is not accepted/,
    ],
    ['a token that grants no role', () => issuer.sign({}), /grants neither operator nor viewer/],
  ];

  it.each(refused)('should refuse %s with 401 UNAUTHENTICATED', async (_name, token, reason) => {
    const { status, body } = await postGraphQL(api.url, me, { key: await token() });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(reason);
    expect(body.data).toBeUndefined();
  });

  it('should refuse an expired token on an SSE subscription', async () => {
    const token = await issuer.sign({ role: 'viewer', expiresIn: -60 });
    const response = await subscribeOverSse(token);
    const text = await response.text();
    expect(text).toContain('UNAUTHENTICATED');
  });

  it('should end an SSE subscription within a second of its token expiring', async () => {
    const token = await issuer.sign({ role: 'viewer', expiresIn: 2 });
    const expiresAt = Math.floor(Date.now() / 1000 + 2) * 1000;
    const response = await subscribeOverSse(token);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(Math.abs(Date.now() - expiresAt)).toBeLessThan(1000);
    expect(text).toContain('UNAUTHENTICATED');
    expect(text).toContain('event: complete');
  });
});

describe('single sign-on over graphql-ws', () => {
  it('should run operations for a valid token sent in connection_init', async () => {
    const { client, first } = connect(await issuer.sign({ role: 'viewer', sub: 'grace' }));
    try {
      expect(await first(me)).toEqual({ data: { me: { role: 'VIEWER', label: 'grace' } } });
    } finally {
      await client.dispose();
    }
  });

  it('should close the socket as unauthenticated for an expired token', async () => {
    const { client, closedWith, first } = connect(await issuer.sign({ role: 'viewer', expiresIn: -60 }));
    first(me).catch(() => undefined);
    expect((await closedWith).code).toBe(HelixCloseCode.Unauthenticated);
    await client.dispose();
  });

  it('should close the socket as forbidden for a credential nobody knows', async () => {
    const { client, closedWith, first } = connect('not-a-key-nor-a-token-at-all');
    first(me).catch(() => undefined);
    expect((await closedWith).code).toBe(CloseCode.Forbidden);
    await client.dispose();
  });

  it('should close a subscribed socket within a second of its token expiring', async () => {
    const token = await issuer.sign({ role: 'viewer', expiresIn: 2 });
    const expiresAt = Math.floor(Date.now() / 1000 + 2) * 1000;
    const { client, closedWith } = connect(token);
    client.subscribe(
      { query: 'subscription { queueMetrics { queueDepth } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    const closed = await closedWith;
    expect(closed.code).toBe(HelixCloseCode.Unauthenticated);
    expect(Math.abs(closed.at - expiresAt)).toBeLessThan(1000);
    await client.dispose();
  });
});

describe("the issuer's keys", () => {
  it('should accept a token signed with a rotated key once the JWKS is fetched again', async () => {
    const before = await issuer.sign({ role: 'viewer', sub: 'before' });
    expect((await postGraphQL(api.url, me, { key: before })).status).toBe(200);
    const fetches = issuer.jwksFetches;
    await issuer.rotate();
    const after = await issuer.sign({ role: 'viewer', sub: 'after' });
    const { body } = await postGraphQL(api.url, me, { key: after });
    expect(body).toEqual({ data: { me: { role: 'VIEWER', label: 'after' } } });
    expect(issuer.jwksFetches).toBeGreaterThan(fetches);
    // The retired key is no longer published, so its tokens stop working.
    expect((await postGraphQL(api.url, me, { key: before })).status).toBe(401);
  });

  it('should not fetch the JWKS again for tokens signed with a key it already has', async () => {
    await postGraphQL(api.url, me, { key: await issuer.sign({ role: 'viewer' }) });
    const fetches = issuer.jwksFetches;
    for (let i = 0; i < 3; i += 1) await postGraphQL(api.url, me, { key: await issuer.sign({ role: 'viewer' }) });
    expect(issuer.jwksFetches).toBe(fetches);
  });
});
