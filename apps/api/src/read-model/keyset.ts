import type pg from 'pg';
import { preparedQuery, type SqlFilter } from './sql.js';

/** A value a keyset cursor holds: text, or a number that JSON keeps exactly. */
export type KeyValue = string | number;

/** One column of a keyset ordering and how to read its value from a row. */
export interface KeysetColumn<Row> {
  sql: string;
  key(row: Row): KeyValue;
  /** Whether a value read from a client's cursor fits this column. */
  accepts(value: KeyValue): boolean;
}

/** What a cursor value of each kind of column must look like. */
export const accepts = {
  number: (value: KeyValue) => typeof value === 'number' && Number.isFinite(value),
  int32: (value: KeyValue) => typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31,
  text: (value: KeyValue) => typeof value === 'string',
  rowId: (value: KeyValue) => typeof value === 'string' && /^\d{1,18}$/.test(value),
  uuid: (value: KeyValue) =>
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  timestamp: (value: KeyValue) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
};

/** A timestamp as a cursor holds it: ISO 8601 text (PostgreSQL may hand back either form). */
export const timestampKey = (value: Date | string): string => (value instanceof Date ? value.toISOString() : value);

/**
 * A total order over rows (the last columns make it unique), all columns in one direction so that
 * "after this row" is one row-value comparison an index can serve.
 */
export interface KeysetOrder<Row> {
  name: string;
  direction: 'ASC' | 'DESC';
  columns: KeysetColumn<Row>[];
}

/** Which page to read: up to `limit` rows strictly after (or, `backward`, before) `after`. */
export interface KeysetRequest {
  limit: number;
  after: KeyValue[] | undefined;
  backward: boolean;
}

/** A page of rows in the order's direction, and whether more rows lie beyond it. */
export interface KeysetPage<Row> {
  rows: Row[];
  hasMore: boolean;
}

/**
 * Reads one page by keyset: `WHERE (c1, c2, …) > ($1, $2, …) ORDER BY c1, c2, … LIMIT n + 1`.
 * Cost depends on the page size, never on how deep the page is (no OFFSET).
 */
export async function keysetPage<Row extends object>(
  pool: pg.Pool,
  select: string,
  filter: SqlFilter,
  order: KeysetOrder<Row>,
  request: KeysetRequest,
): Promise<KeysetPage<Row>> {
  const query = filter.clone();
  const ascending = (order.direction === 'ASC') !== request.backward;
  const columns = order.columns.map((column) => column.sql);
  if (request.after) {
    const placeholders = request.after.map((value) => query.param(value));
    // The bound on the first column alone lets PostgreSQL start the index scan at the cursor.
    query.where(`${columns[0]} ${ascending ? '>=' : '<='} ${placeholders[0]}`);
    query.where(`(${columns.join(', ')}) ${ascending ? '>' : '<'} (${placeholders.join(', ')})`);
  }
  const direction = ascending ? 'ASC' : 'DESC';
  const sql = `${select} ${query.clause} ORDER BY ${columns.map((column) => `${column} ${direction}`).join(', ')} LIMIT ${request.limit + 1}`;
  const { rows } = await preparedQuery<Row & pg.QueryResultRow>(pool, sql, query.params);
  const hasMore = rows.length > request.limit;
  const page = rows.slice(0, request.limit);
  if (request.backward) page.reverse();
  return { rows: page, hasMore };
}

/** The key of a row under an order, as a cursor stores it. */
export function keyOf<Row>(order: KeysetOrder<Row>, row: Row): KeyValue[] {
  return order.columns.map((column) => column.key(row));
}
