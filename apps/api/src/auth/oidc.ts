import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { OidcConfig, Role } from '../env.js';
import { type Caller, type CredentialSource, UnauthenticatedError } from './caller.js';

/** Signature algorithms accepted from an issuer: asymmetric only, since its keys are public. */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Tuning of how the issuer's keys are fetched; the defaults suit production. */
export interface OidcSourceOptions {
  /** How long fetched keys are trusted before they are fetched again (default 10 minutes). */
  jwksMaxAgeMs?: number;
  /** The least time between two fetches prompted by an unknown key id (default 30 s). */
  jwksCooldownMs?: number;
}

interface DiscoveryDocument {
  issuer?: unknown;
  jwks_uri?: unknown;
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** Loads the issuer's JWKS location from its discovery document, checking it names the same issuer. */
async function discoverJwksUri(issuer: string): Promise<URL> {
  const location = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetch(location, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    throw new UnauthenticatedError(`The token cannot be verified now: ${location} is unreachable (${String(error)}).`);
  }
  if (!response.ok) {
    throw new UnauthenticatedError(`The token cannot be verified now: ${location} answered ${response.status}.`);
  }
  const document = (await response.json()) as DiscoveryDocument;
  if (document.issuer !== issuer) {
    throw new UnauthenticatedError(
      `The token cannot be verified: ${location} names issuer ${JSON.stringify(document.issuer)}, not HELIX_OIDC_ISSUER.`,
    );
  }
  if (typeof document.jwks_uri !== 'string') {
    throw new UnauthenticatedError(`The token cannot be verified: ${location} has no jwks_uri.`);
  }
  return new URL(document.jwks_uri);
}

/** Reads the role from `claim` (a dotted path; a string, or a list holding operator or viewer). */
export function roleFromClaim(payload: JWTPayload, claim: string): Role | undefined {
  let value: unknown = payload;
  for (const step of claim.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.includes('operator')) return 'operator';
  if (values.includes('viewer')) return 'viewer';
  return undefined;
}

/** Why a token was refused, in words; the token itself is never part of it. */
const reasonFor = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signature algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return "the token is signed with a key the issuer doesn't publish";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error instanceof TypeError) {
    return `the issuer's keys could not be fetched (${(error as Error).message})`;
  }
  if (error instanceof errors.JOSEError) return `the token is malformed (${error.code})`;
  throw error;
};

/**
 * Verifies bearer JWTs from an OpenID Connect issuer: the signature against the issuer's JWKS
 * (found through its discovery document, cached and refetched when an unknown key id appears),
 * `iss`, `aud`, `exp`, `nbf` and the algorithm. Credentials not shaped like a JWT are left to
 * other sources; a JWT that fails any check is refused with {@link UnauthenticatedError}.
 */
export function createOidcSource(config: OidcConfig, options: OidcSourceOptions = {}): CredentialSource {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= discoverJwksUri(config.issuer).then((uri) =>
      createRemoteJWKSet(uri, {
        cacheMaxAge: options.jwksMaxAgeMs ?? 600_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
      }),
    );
    // A failed discovery is tried again by the next token, not remembered.
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  return {
    async identify(credential): Promise<Caller | undefined> {
      if (!jwtShape.test(credential)) return undefined;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(credential, await keySet(), {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...OIDC_ALGORITHMS],
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        if (error instanceof UnauthenticatedError) throw error;
        throw new UnauthenticatedError(`Authentication refused: ${reasonFor(error)}.`);
      }
      const role = roleFromClaim(payload, config.roleClaim);
      if (!role) {
        throw new UnauthenticatedError(
          `Authentication refused: the token's "${config.roleClaim}" claim grants neither operator nor viewer.`,
        );
      }
      const subject = payload.sub as string;
      const name = typeof payload.name === 'string' ? payload.name : undefined;
      return { role, label: name ?? subject, id: `oidc:${subject}`, expiresAt: (payload.exp as number) * 1000 };
    },
  };
}
