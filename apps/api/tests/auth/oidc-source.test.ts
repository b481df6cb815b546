import { describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../src/auth/caller.js';
import { createOidcSource } from '../../src/auth/oidc.js';
import { startLocalIssuer } from './local-issuer.js';

describe('the OIDC credential source', () => {
  it('should leave credentials not shaped like a JWT to other sources', async () => {
    const oidc = createOidcSource({ issuer: 'http://127.0.0.1:9', audience: 'helix-api', roleClaim: 'helix_role' });
    await expect(oidc.identify('operator-key-for-tests-0001')).resolves.toBeUndefined();
  });

  it('should refuse a token as unauthenticated, naming the discovery document, while the issuer is unreachable', async () => {
    const issuer = await startLocalIssuer();
    const token = await issuer.sign({ role: 'viewer' });
    await issuer.close();
    const oidc = createOidcSource({ issuer: issuer.issuer, audience: issuer.audience, roleClaim: 'helix_role' });
    const refusal = oidc.identify(token);
    await expect(refusal).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(refusal).rejects.toThrow(/openid-configuration is unreachable/);
  });

  it('should try discovery again for the next token after a failure', async () => {
    const issuer = await startLocalIssuer();
    try {
      const oidc = createOidcSource({ issuer: issuer.issuer, audience: issuer.audience, roleClaim: 'helix_role' });
      issuer.available = false;
      await expect(oidc.identify(await issuer.sign({ role: 'viewer' }))).rejects.toThrow(/answered 503/);
      issuer.available = true;
      await expect(oidc.identify(await issuer.sign({ role: 'viewer', sub: 'grace' }))).resolves.toMatchObject({
        role: 'viewer',
        id: 'oidc:grace',
      });
    } finally {
      await issuer.close();
    }
  });
});
