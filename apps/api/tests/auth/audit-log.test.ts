import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { keyFingerprint } from '../../src/auth/keys.js';
import { createOidcSource } from '../../src/auth/oidc.js';
import { capturedLog } from '../support/captured-log.js';
import { postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';
import { type LocalIssuer, startLocalIssuer } from './local-issuer.js';

interface AuditLine {
  audit?: string;
  caller: string;
  label: string | null;
  role: string;
  operation: string | null;
  fields: string[];
  outcome: string;
  errorCodes?: string[];
}

const thresholds = 'mutation Tighten { updateThresholds(highWater: 300, lowWater: 50) { highWater } }';

let issuer: LocalIssuer;
let api: TestServer;
let token: string;
const log = capturedLog();
const auditLines = () => log.lines<AuditLine>('"audit"');

beforeAll(async () => {
  issuer = await startLocalIssuer();
  const oidc = createOidcSource({ issuer: issuer.issuer, audience: issuer.audience, roleClaim: 'helix_role' });
  api = await startTestServer({ credentialSources: [oidc], logger: log.logger });
  token = await issuer.sign({ role: 'operator', sub: 'ada', name: 'Ada Lovelace' });

  await postGraphQL(api.url, thresholds, { key: testKeys.operator });
  await postGraphQL(api.url, thresholds, { key: testKeys.viewer });
  await postGraphQL(api.url, thresholds, { key: token });
  await postGraphQL(api.url, '{ me { role } }', { key: testKeys.operator });
  const client = createClient({
    url: api.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${testKeys.operator}` },
  });
  try {
    await new Promise((resolve, reject) => {
      client.subscribe(
        { query: 'mutation OverTheSocket { triggerSpike(multiplier: 2, durationSeconds: 1) { state } }' },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
  } finally {
    await client.dispose();
  }
});

afterAll(async () => {
  await api?.close();
  await issuer?.close();
});

describe('the audit log', () => {
  it('should write one line per mutation and none for queries', () => {
    expect(auditLines().map((line) => line.fields)).toEqual([
      ['updateThresholds'],
      ['updateThresholds'],
      ['updateThresholds'],
      ['triggerSpike'],
    ]);
  });

  it('should name a key caller by its fingerprint, with role, operation and outcome', () => {
    expect(auditLines()[0]).toMatchObject({
      audit: 'mutation',
      caller: keyFingerprint(testKeys.operator),
      label: null,
      role: 'operator',
      operation: 'Tighten',
      outcome: 'failed',
      errorCodes: ['PIPELINE_NOT_RUNNING'],
    });
  });

  it('should record a refused mutation with the code it was refused with', () => {
    expect(auditLines()[1]).toMatchObject({ role: 'viewer', outcome: 'failed', errorCodes: ['FORBIDDEN'] });
  });

  it("should name a token caller by the token's subject", () => {
    expect(auditLines()[2]).toMatchObject({ caller: 'oidc:ada', label: 'Ada Lovelace', role: 'operator' });
  });

  it('should audit mutations sent over graphql-ws', () => {
    expect(auditLines()[3]).toMatchObject({ operation: 'OverTheSocket', role: 'operator' });
  });

  it('should carry no key material: not a key, not a bearer token, not its signature', () => {
    const everything = log.text();
    expect(everything.length).toBeGreaterThan(0);
    for (const secret of [testKeys.operator, testKeys.viewer, token, token.split('.')[2] as string]) {
      expect(everything).not.toContain(secret);
    }
  });
});
