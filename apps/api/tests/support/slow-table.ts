import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { poolConfigFromUrl } from '../../src/db/pool.js';

/** A table kept slow by a connection that keeps taking its lock. */
export interface SlowTable {
  /** Writes PostgreSQL reported waiting for the lock, summed over the holds so far. */
  readonly writesKeptWaiting: number;
  /** Stops taking the lock: writes to the table go at full speed again. */
  stop(): Promise<void>;
}

/**
 * Makes writes to `table` genuinely slow: a connection of its own takes
 * `LOCK TABLE … IN ACCESS EXCLUSIVE MODE`, holds it for `holdMs`, commits (the writes queued
 * behind it go through), and takes it again, until stopped. A writer that waits for each of its
 * statements then gets about one write in per hold, as from a database that cannot keep up.
 */
export async function slowDownTable(databaseUrl: string, table: string, holdMs: number): Promise<SlowTable> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a plain table name: ${table}`);
  const client = new pg.Client(poolConfigFromUrl(databaseUrl));
  await client.connect();
  let stopping = false;
  let writesKeptWaiting = 0;
  const holding = (async () => {
    while (!stopping) {
      await client.query('BEGIN');
      await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      await sleep(holdMs);
      const { rows } = await client.query<{ waiting: number }>(
        'SELECT count(*)::int AS waiting FROM pg_locks WHERE relation = $1::regclass AND NOT granted',
        [table],
      );
      writesKeptWaiting += (rows[0] as { waiting: number }).waiting;
      await client.query('COMMIT');
    }
  })();
  return {
    get writesKeptWaiting() {
      return writesKeptWaiting;
    },
    async stop() {
      stopping = true;
      try {
        await holding;
      } finally {
        await client.end();
      }
    },
  };
}
