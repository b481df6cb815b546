import type { Role } from '../env.js';
import { bearerKey } from './keys.js';

/** Who a credential says is calling, without the credential itself. */
export interface Caller {
  role: Role;
  /** A name for people: a key's label, a token's `name` or subject; null for keys without one. */
  label: string | null;
  /** A stable id for limits and the audit log: `key:<digest>` for keys, `oidc:<subject>` for tokens. */
  id: string;
  /** When the credential stops being valid (epoch milliseconds); undefined if it does not expire. */
  expiresAt?: number;
}

/** One place credentials are known: the configured keys, an OIDC issuer (later, stored keys). */
export interface CredentialSource {
  /**
   * The caller a credential belongs to, or undefined if this source does not know it.
   * Throws {@link UnauthenticatedError} for a credential it recognises but refuses (an expired token).
   */
  identify(credential: string): Promise<Caller | undefined>;
}

/** A credential was presented and refused; the message says why, never what the credential was. */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

/** Turns an `Authorization` value into a caller by asking each source in turn. */
export interface Authenticator {
  /** The caller, undefined for an anonymous request or an unknown key; throws {@link UnauthenticatedError}. */
  authenticate(authorization: unknown): Promise<Caller | undefined>;
}

/** An authenticator over `sources`, asked in order; the first that knows the credential answers. */
export function createAuthenticator(sources: readonly CredentialSource[]): Authenticator {
  return {
    async authenticate(authorization) {
      const credential = bearerKey(authorization);
      if (!credential) return undefined;
      for (const source of sources) {
        const caller = await source.identify(credential);
        if (caller) return caller;
      }
      return undefined;
    },
  };
}
