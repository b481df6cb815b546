import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';

const ME = 'query { me { role label } }';

describe('me', () => {
  let api: TestServer;

  beforeAll(async () => {
    api = await startTestServer();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('should tell an operator key that it grants OPERATOR, with no label', async () => {
    const { status, body } = await postGraphQL(api.url, ME, { key: testKeys.operator });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { role: 'OPERATOR', label: null } } });
  });

  it('should tell a viewer key that it grants VIEWER', async () => {
    const { body } = await postGraphQL(api.url, ME, { key: testKeys.viewer });
    expect(body).toEqual({ data: { me: { role: 'VIEWER', label: null } } });
  });

  it('should refuse a request without a key with 401 UNAUTHENTICATED', async () => {
    const { status, body } = await postGraphQL(api.url, ME);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('should refuse a key it does not know as if none was sent', async () => {
    const { status, body } = await postGraphQL(api.url, ME, { key: 'not-a-key-of-this-server-0000' });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
