import 'server-only';
import { createHash } from 'node:crypto';
import { cookies } from 'next/headers';

/** What the dashboard may let a signed-in person do; the API enforces the same roles. */
export type Role = 'operator' | 'viewer';

/** A signed-in person: their API key (never sent to the browser) and the role it grants. */
export interface Session {
  key: string;
  role: Role;
}

/** The httpOnly cookie that holds the session. */
export const SESSION_COOKIE = 'helix_session';

/** How long a sign-in lasts (an operator leaves the dashboard open all day). */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** Encodes a session as the cookie value. */
export function encodeSession(session: Session): string {
  return Buffer.from(JSON.stringify({ k: session.key, r: session.role })).toString('base64url');
}

/** Decodes a cookie value; undefined when it is missing or malformed. */
export function decodeSession(value: string | undefined): Session | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { k, r } = parsed as { k?: unknown; r?: unknown };
    if (typeof k !== 'string' || k.length === 0 || (r !== 'operator' && r !== 'viewer')) return undefined;
    return { key: k, role: r };
  } catch {
    return undefined;
  }
}

/** A short digest of the key, to bind event-stream tokens to the session that made them. */
export function sessionDigest(session: Session): string {
  return createHash('sha256').update(session.key).digest('base64url').slice(0, 22);
}

/** Cookie attributes: httpOnly, same-site strict, secure behind https. */
export function sessionCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: 'strict' as const,
    secure,
    path: '/',
    maxAge: SESSION_MAX_AGE_SECONDS,
  };
}

/** The session of the current request (server components, actions, route handlers). */
export async function currentSession(): Promise<Session | undefined> {
  return decodeSession((await cookies()).get(SESSION_COOKIE)?.value);
}

/** The session cookie value of a raw `Cookie` header (for handlers that only see headers). */
export function sessionFromCookieHeader(header: string | null | undefined): Session | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeSession(decodeURIComponent(rest.join('=')));
  }
  return undefined;
}

/** A `Set-Cookie` value that removes the session (wrong or revoked key). */
export const CLEAR_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`;
