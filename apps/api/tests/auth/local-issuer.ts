import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** What a test token says, and how it is signed. */
export interface TokenClaims {
  sub?: string;
  name?: string;
  /** The `helix_role` claim; omitted when undefined. */
  role?: string;
  /** Seconds from now until `exp`; negative for a token already expired. */
  expiresIn?: number;
  audience?: string;
  issuer?: string;
  /** Sign with this private key instead of the issuer's current one (keeping the current key id). */
  signingKey?: CryptoKey;
}

/** An OpenID Connect issuer on 127.0.0.1: a discovery document, a JWKS, and a signer. */
export interface LocalIssuer {
  issuer: string;
  audience: string;
  /** How often the JWKS was fetched. */
  readonly jwksFetches: number;
  sign(claims?: TokenClaims): Promise<string>;
  /** While false, every endpoint answers 503, as an issuer in maintenance does. */
  available: boolean;
  /** Replaces the signing key: the JWKS then publishes only the new one. */
  rotate(): Promise<void>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A token with `alg: none` and no signature, which no verifier may accept. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** Starts a local issuer; its tokens carry the role in `helix_role`. */
export async function startLocalIssuer(audience = 'helix-api'): Promise<LocalIssuer> {
  let key = await newSigningKey();
  let jwksFetches = 0;
  let issuer = '';
  let available = true;
  const server: Server = createServer((request, response) => {
    const json = (body: unknown) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (!available) return response.writeHead(503).end();
    if (request.url === '/.well-known/openid-configuration') return json({ issuer, jwks_uri: `${issuer}/jwks` });
    if (request.url === '/jwks') {
      jwksFetches += 1;
      return json({ keys: [key.publicJwk] });
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience,
    get jwksFetches() {
      return jwksFetches;
    },
    get available() {
      return available;
    },
    set available(value) {
      available = value;
    },
    async sign(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const token = new SignJWT({
        ...(claims.role !== undefined && { helix_role: claims.role }),
        ...(claims.name !== undefined && { name: claims.name }),
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
        .setSubject(claims.sub ?? 'user-1')
        .setIssuer(claims.issuer ?? issuer)
        .setAudience(claims.audience ?? audience)
        .setIssuedAt(now)
        .setExpirationTime(now + (claims.expiresIn ?? 300));
      return token.sign(claims.signingKey ?? key.privateKey);
    },
    async rotate() {
      key = await newSigningKey();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
