import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Role } from '../env.js';

/** A key created at run time, as stored: never the key, only its hash. */
export interface StoredApiKey {
  id: string;
  role: Role;
  label: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A stored key with the hash it is found by. */
export interface HashedApiKey extends StoredApiKey {
  hash: string;
}

const COLUMNS = `id, hash, lower(role::text) AS role, label, created_at AS "createdAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

const withoutHash = ({ hash: _hash, ...key }: HashedApiKey): StoredApiKey => key;

/** The `api_keys` table: hand-written SQL over the pool. */
export class ApiKeyStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores a new key by its hash and returns it. */
  async insert(key: { hash: string; role: Role; label: string | null; expiresAt: Date | null }): Promise<StoredApiKey> {
    const { rows } = await this.pool.query<HashedApiKey>(
      `INSERT INTO api_keys (id, hash, role, label, expires_at) VALUES ($1, $2, upper($3)::"ApiKeyRole", $4, $5)
       RETURNING ${COLUMNS}`,
      [randomUUID(), key.hash, key.role, key.label, key.expiresAt],
    );
    return withoutHash(rows[0] as HashedApiKey);
  }

  /** Every stored key, revoked ones included, newest first. */
  async list(): Promise<StoredApiKey[]> {
    const { rows } = await this.pool.query<HashedApiKey>(
      `SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`,
    );
    return rows.map(withoutHash);
  }

  /** The key with this hash, or undefined. */
  async findByHash(hash: string): Promise<HashedApiKey | undefined> {
    const { rows } = await this.pool.query<HashedApiKey>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = $1`, [hash]);
    return rows[0];
  }

  /** Marks the key revoked (keeping the first revocation time); undefined if no key has this id. */
  async revoke(id: string): Promise<StoredApiKey | undefined> {
    const { rows } = await this.pool.query<HashedApiKey>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    const revoked = rows[0];
    return revoked && withoutHash(revoked);
  }

  /** Records that the key was just used. */
  async touch(id: string, at: Date): Promise<void> {
    await this.pool.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, at]);
  }
}
