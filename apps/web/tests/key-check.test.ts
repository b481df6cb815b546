import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiProcess, startApi } from './support/api-server';

describe('checkKey, against the real API', () => {
  let api: ApiProcess;
  let checkKey: typeof import('@/server/key-check').checkKey;

  beforeAll(async () => {
    api = await startApi();
    vi.stubEnv('HELIX_API_URL', api.graphqlUrl);
    vi.resetModules();
    ({ checkKey } = await import('@/server/key-check'));
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await api?.close();
  });

  it('should learn from me { role } that an operator key grants operator', async () => {
    expect(await checkKey(api.operatorKey)).toEqual({ ok: true, role: 'operator' });
  });

  it('should learn that a viewer key grants viewer', async () => {
    expect(await checkKey(api.viewerKey)).toEqual({ ok: true, role: 'viewer' });
  });

  it('should reject a key the API does not know, saying so', async () => {
    expect(await checkKey('a-key-this-api-never-issued')).toEqual({
      ok: false,
      reason: 'rejected',
      message: 'That API key was not accepted. Check it and try again.',
    });
  });

  it('should say where it looked when the API is not running', async () => {
    await api.stop();
    expect(await checkKey(api.operatorKey)).toEqual({
      ok: false,
      reason: 'unreachable',
      message: `The Helix API at ${api.graphqlUrl} is not reachable.`,
    });
  });
});
