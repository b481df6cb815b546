import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { ApiKeyStore, type HashedApiKey } from './api-key-store.js';
import { type Caller, type CredentialSource, UnauthenticatedError } from './caller.js';

/** How every key created at run time begins, so other credentials (tokens) never cost a lookup. */
export const STORED_KEY_PREFIX = 'helix_key_';

/** How long a looked-up key is trusted without asking the database again. */
const CACHE_TTL_MS = 30_000;
/** `lastUsedAt` is written at most this often per key. */
const LAST_USED_INTERVAL_MS = 60_000;
/** Looked-up keys kept at most; the oldest goes first. */
const CACHE_ENTRIES = 1_000;

/** A new key: the prefix and 32 random bytes (256 bits), base64url. */
export function newStoredKey(): string {
  return `${STORED_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The hash a stored key is kept and found by: SHA-256, base64url. */
export function storedKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** The caller id of a stored key: `stored-key:<id>`, as revocation names it. */
export function storedKeyCallerId(id: string): string {
  return `stored-key:${id}`;
}

interface CachedKey {
  key: HashedApiKey;
  fetchedAt: number;
  /** When this process last wrote `lastUsedAt` (epoch milliseconds). */
  lastTouchedAt: number | undefined;
}

/**
 * Keys created at run time, as a credential source. A presented key is hashed and looked up by
 * its hash (then compared in constant time); revoked and expired keys are refused. Found keys
 * are cached for {@link CACHE_TTL_MS}: a revocation drops its entry at once through
 * {@link StoredKeySource.forget} (here, and at other replicas through the shared pubsub), the TTL
 * only bounds a revocation message that never arrived.
 */
export class StoredKeySource implements CredentialSource {
  readonly #cache = new Map<string, CachedKey>();

  constructor(
    private readonly options: {
      /** The database pool once it is ready. */
      pool: () => pg.Pool | undefined;
      logger: Logger;
    },
  ) {}

  async identify(credential: string): Promise<Caller | undefined> {
    if (!credential.startsWith(STORED_KEY_PREFIX)) return undefined;
    const hash = storedKeyHash(credential);
    const pool = this.options.pool();
    if (!pool) throw new UnauthenticatedError('stored keys cannot be checked until the database is ready');
    const entry = await this.#lookUp(new ApiKeyStore(pool), hash);
    if (!entry || !timingSafeEqual(Buffer.from(entry.key.hash), Buffer.from(hash))) return undefined;
    const { key } = entry;
    if (key.revokedAt) throw new UnauthenticatedError('the key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('the key has expired');
    await this.#touch(new ApiKeyStore(pool), entry);
    return {
      role: key.role,
      label: key.label,
      id: storedKeyCallerId(key.id),
      ...(key.expiresAt && { expiresAt: key.expiresAt.getTime() }),
    };
  }

  /** Drops the cached entry of the key with this id, so its next use asks the database. */
  forget(id: string): void {
    for (const [hash, entry] of this.#cache) if (entry.key.id === id) this.#cache.delete(hash);
  }

  async #lookUp(store: ApiKeyStore, hash: string): Promise<CachedKey | undefined> {
    const cached = this.#cache.get(hash);
    if (cached && Date.now() - cached.fetchedAt < CACHE_TTL_MS) return cached;
    const key = await store.findByHash(hash);
    this.#cache.delete(hash);
    if (!key) return undefined;
    const entry = { key, fetchedAt: Date.now(), lastTouchedAt: cached?.lastTouchedAt };
    this.#cache.set(hash, entry);
    if (this.#cache.size > CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value as string);
    return entry;
  }

  async #touch(store: ApiKeyStore, entry: CachedKey): Promise<void> {
    const now = Date.now();
    if (entry.lastTouchedAt !== undefined && now - entry.lastTouchedAt < LAST_USED_INTERVAL_MS) return;
    entry.lastTouchedAt = now;
    try {
      await store.touch(entry.key.id, new Date(now));
    } catch (error) {
      // The key is valid; failing to note its use must not refuse the request.
      this.options.logger.warn({ keyId: entry.key.id, reason: (error as Error).message }, 'lastUsedAt not recorded');
    }
  }
}
