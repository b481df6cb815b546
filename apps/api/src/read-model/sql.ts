import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Builds a parameterised WHERE clause: values never enter the SQL text, only `$n` placeholders.
 */
export class SqlFilter {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];

  /** Adds a value and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition (built with {@link param} placeholders). */
  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** `WHERE a AND b`, or "" without conditions. */
  get clause(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** A copy, so a page query can add keyset conditions without touching the count query. */
  clone(): SqlFilter {
    const copy = new SqlFilter();
    copy.params.push(...this.params);
    copy.conditions.push(...this.conditions);
    return copy;
  }
}

/** True for the canonical text form of a UUID (what `runs.id` holds). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

const names = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: each pooled connection parses and plans a
 * given SQL text once and reuses the plan (PostgreSQL then settles on a generic plan), instead of
 * planning every request anew. The name is derived from the text.
 */
export function preparedQuery<Row extends pg.QueryResultRow>(
  pool: pg.Pool,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<Row>> {
  let name = names.get(text);
  if (!name) {
    name = `helix_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return pool.query<Row>({ name, text, values });
}
