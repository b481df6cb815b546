import { describe, expect, it } from 'vitest';
import { decodeSession, encodeSession, sessionDigest, sessionFromCookieHeader } from '@/server/session';

describe('session cookie', () => {
  it('should round-trip a session', () => {
    const session = { key: 'op-0123456789abcdef', role: 'operator' as const };
    expect(decodeSession(encodeSession(session))).toEqual(session);
  });

  it('should refuse malformed or tampered values', () => {
    expect(decodeSession(undefined)).toBeUndefined();
    expect(decodeSession('not base64 json')).toBeUndefined();
    expect(decodeSession(Buffer.from('{"k":"x","r":"admin"}').toString('base64url'))).toBeUndefined();
    expect(decodeSession(Buffer.from('{"k":"","r":"viewer"}').toString('base64url'))).toBeUndefined();
  });

  it('should find the session among other cookies', () => {
    const value = encodeSession({ key: 'view-key-000000000', role: 'viewer' });
    expect(sessionFromCookieHeader(`theme=dark; helix_session=${value}; other=1`)).toEqual({
      key: 'view-key-000000000',
      role: 'viewer',
    });
    expect(sessionFromCookieHeader('theme=dark')).toBeUndefined();
  });

  it('should digest keys without revealing them', () => {
    const digest = sessionDigest({ key: 'secret-key-0000000', role: 'viewer' });
    expect(digest).toHaveLength(22);
    expect(digest).not.toContain('secret');
    expect(sessionDigest({ key: 'other-key-00000000', role: 'viewer' })).not.toBe(digest);
  });
});
