import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/env.js';

describe('single sign-on configuration', () => {
  it('should leave single sign-on off unless an issuer is set', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it('should read the issuer, the audience and the role claim, defaulting the claim to helix_role', () => {
    const issuer = 'https://login.example.org/realms/lab';
    expect(loadConfig({ HELIX_OIDC_ISSUER: issuer, HELIX_OIDC_AUDIENCE: 'helix-api' }).oidc).toEqual({
      issuer,
      audience: 'helix-api',
      roleClaim: 'helix_role',
    });
    const nested = loadConfig({
      HELIX_OIDC_ISSUER: issuer,
      HELIX_OIDC_AUDIENCE: 'helix-api',
      HELIX_OIDC_ROLE_CLAIM: 'realm_access.roles',
    });
    expect(nested.oidc?.roleClaim).toBe('realm_access.roles');
  });

  it('should name the variable when a value is invalid or its partner is missing', () => {
    expect(() => loadConfig({ HELIX_OIDC_ISSUER: 'login.example.org', HELIX_OIDC_AUDIENCE: 'a' })).toThrow(
      /HELIX_OIDC_ISSUER: must be a URL/,
    );
    expect(() => loadConfig({ HELIX_OIDC_ISSUER: 'https://login.example.org' })).toThrow(
      /HELIX_OIDC_AUDIENCE: must be set when HELIX_OIDC_ISSUER is/,
    );
    expect(() => loadConfig({ HELIX_OIDC_AUDIENCE: 'helix-api' })).toThrow(
      /HELIX_OIDC_ISSUER: must be set when HELIX_OIDC_AUDIENCE is/,
    );
    expect(() =>
      loadConfig({
        HELIX_OIDC_ISSUER: 'https://login.example.org',
        HELIX_OIDC_AUDIENCE: 'helix-api',
        HELIX_OIDC_ROLE_CLAIM: 'realm_access..roles',
      }),
    ).toThrow(/HELIX_OIDC_ROLE_CLAIM/);
  });
});
