import type pg from 'pg';
import type { Role } from '../env.js';
import type { Logger } from '../logger.js';
import { ApiKeyStore, type StoredApiKey } from './api-key-store.js';
import type { Caller } from './caller.js';
import { newStoredKey, storedKeyHash } from './stored-keys.js';

/** The longest label a key may carry. */
export const MAX_KEY_LABEL_LENGTH = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an operator asks for when creating a key. */
export interface NewApiKey {
  role: Role;
  label: string | null;
  /** Must lie in the future; null for a key that does not expire. */
  expiresAt: Date | null;
}

/** A new key was asked for with input that is refused; `field` names the input field at fault. */
export class ApiKeyInputError extends Error {
  override name = 'ApiKeyInputError';
  constructor(
    message: string,
    readonly field: keyof NewApiKey,
  ) {
    super(message);
  }
}

/** No stored key has the id given. */
export class ApiKeyNotFoundError extends Error {
  override name = 'ApiKeyNotFoundError';
}

/** What key changes reach beyond the table: the audit log, and the revocation of open sessions. */
export interface KeyChangeOptions {
  logger: Logger;
  /** Called once a key is revoked, to drop cached lookups and close its open subscriptions. */
  revoked(id: string): void;
}

/**
 * Creates, lists and revokes keys at run time, writing one `audit` line per change (who and what,
 * never the key or its hash).
 */
export class KeyAdministration {
  readonly #store: ApiKeyStore;

  constructor(
    pool: pg.Pool,
    private readonly options: KeyChangeOptions,
  ) {
    this.#store = new ApiKeyStore(pool);
  }

  /** Every stored key, newest first. */
  list(): Promise<StoredApiKey[]> {
    return this.#store.list();
  }

  /** Stores a new key; the key itself is in the answer only, never stored or logged. */
  async create(input: NewApiKey, by: Caller): Promise<{ key: string; apiKey: StoredApiKey }> {
    const label = input.label?.trim() || null;
    if (label && label.length > MAX_KEY_LABEL_LENGTH) {
      throw new ApiKeyInputError(`label must be at most ${MAX_KEY_LABEL_LENGTH} characters`, 'label');
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ApiKeyInputError(
        'expiresAt must lie in the future (or be null for a key that does not expire)',
        'expiresAt',
      );
    }
    const key = newStoredKey();
    const apiKey = await this.#store.insert({
      hash: storedKeyHash(key),
      role: input.role,
      label,
      expiresAt: input.expiresAt,
    });
    this.options.logger.info(
      {
        audit: 'apiKey',
        action: 'created',
        keyId: apiKey.id,
        keyRole: apiKey.role,
        keyLabel: apiKey.label,
        expiresAt: apiKey.expiresAt?.toISOString() ?? null,
        by: by.id,
        byLabel: by.label,
      },
      'audit: key created',
    );
    return { key, apiKey };
  }

  /** Revokes the key: refused over HTTP at once, its open subscriptions closed. */
  async revoke(id: string, by: Caller): Promise<StoredApiKey> {
    const revoked = UUID.test(id) ? await this.#store.revoke(id) : undefined;
    if (!revoked) throw new ApiKeyNotFoundError(`No key has the id ${JSON.stringify(id)}.`);
    this.options.revoked(revoked.id);
    this.options.logger.info(
      { audit: 'apiKey', action: 'revoked', keyId: revoked.id, by: by.id, byLabel: by.label },
      'audit: key revoked',
    );
    return revoked;
  }
}
