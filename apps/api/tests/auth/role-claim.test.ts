import { describe, expect, it } from 'vitest';
import { roleFromClaim } from '../../src/auth/oidc.js';

describe("a token's role claim", () => {
  it('should read a plain string claim', () => {
    expect(roleFromClaim({ helix_role: 'viewer' }, 'helix_role')).toBe('viewer');
  });

  it('should read a dotted path to a list, preferring operator', () => {
    const payload = { realm_access: { roles: ['offline_access', 'viewer', 'operator'] } };
    expect(roleFromClaim(payload, 'realm_access.roles')).toBe('operator');
  });

  it('should grant nothing for a missing claim or other values', () => {
    expect(roleFromClaim({}, 'helix_role')).toBeUndefined();
    expect(roleFromClaim({ helix_role: 'admin' }, 'helix_role')).toBeUndefined();
    expect(roleFromClaim({ helix_role: 'x' }, 'helix_role.nested')).toBeUndefined();
  });
});
