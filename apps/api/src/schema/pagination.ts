import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { type KeysetOrder, type KeysetPage, type KeysetRequest, type KeyValue, keyOf } from '../read-model/keyset.js';
import type { ConnectionExtras } from './builder.js';
import { badUserInput } from './errors.js';

/** Largest page any connection serves. */
export const MAX_PAGE_SIZE = 100;

/** Page size when the client gives none. */
export const DEFAULT_PAGE_SIZE = 20;

/** Relay connection arguments as Pothos hands them over. */
export interface ConnectionArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** A cursor names the ordering it belongs to, so one from another ordering is refused, not misread. */
export function encodeCursor(order: string, key: KeyValue[]): string {
  return Buffer.from(JSON.stringify([order, ...key])).toString('base64url');
}

function decodeCursor(cursor: string, order: KeysetOrder<never>, argument: string): KeyValue[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const [name, ...key] = Array.isArray(parts) ? (parts as unknown[]) : [];
  if (typeof name === 'string' && name !== order.name && /^[A-Z_]+$/.test(name)) {
    throw badUserInput(
      `${argument} is a cursor of the ${name} ordering; this page is ordered by ${order.name}`,
      argument,
    );
  }
  if (
    name !== order.name ||
    key.length !== order.columns.length ||
    !order.columns.every((column, index) => column.accepts(key[index] as KeyValue))
  ) {
    throw badUserInput(`${argument} is not a cursor of this connection`, argument);
  }
  return key as KeyValue[];
}

/**
 * Turns Relay arguments into a keyset request: `first`/`after` page forward, `last`/`before`
 * backward; sizes from 0 to {@link MAX_PAGE_SIZE}.
 */
export function keysetRequest(args: ConnectionArgs, order: KeysetOrder<never>): KeysetRequest {
  const forward = args.first != null || args.after != null;
  const backward = args.last != null || args.before != null;
  if (forward && backward) {
    throw badUserInput(
      'page forward with first/after or backward with last/before, not both',
      args.first != null ? 'last' : 'before',
    );
  }
  const sizeArgument = backward ? 'last' : 'first';
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`${sizeArgument} must be between 0 and ${MAX_PAGE_SIZE}`, sizeArgument);
  }
  const cursor = backward ? args.before : args.after;
  return {
    limit: size,
    after: cursor ? decodeCursor(cursor, order, backward ? 'before' : 'after') : undefined,
    backward,
  };
}

/** An edge of a connection; its cursor is encoded only if a client asks for it (most pages never do). */
class Edge<Row, Node> {
  #cursor: string | undefined;

  constructor(
    private readonly row: Row,
    readonly node: Node,
    private readonly order: KeysetOrder<Row>,
  ) {}

  get cursor(): string {
    this.#cursor ??= encodeCursor(this.order.name, keyOf(this.order, this.row));
    return this.#cursor;
  }
}

/** A Relay connection over a keyset page, with `totalCount` computed only when asked for. */
export function toConnection<Row, Node = Row>(
  page: KeysetPage<Row>,
  order: KeysetOrder<Row>,
  request: KeysetRequest,
  totalCount: () => Promise<number>,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
) {
  const edges = page.rows.map((row) => new Edge(row, toNode(row), order));
  const connection: { edges: typeof edges; pageInfo: PageInfo } & ConnectionExtras = {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? request.after !== undefined : page.hasMore,
      hasPreviousPage: request.backward ? page.hasMore : request.after !== undefined,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount,
  };
  return connection;
}

/** The empty connection (e.g. of a run that does not exist). */
export function emptyConnection() {
  const connection: { edges: never[]; pageInfo: PageInfo } & ConnectionExtras = {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    totalCount: async () => 0,
  };
  return connection;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * The fields a connection query selects on its nodes (`edges { node { … } }`), through fragments;
 * undefined when that cannot be told, so the caller reads everything.
 */
export function selectedNodeFields(info: GraphQLResolveInfo): Set<string> | undefined {
  const fields = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined, path: string[], depth: number): boolean => {
    if (!selectionSet || depth > 8) return false;
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'InlineFragment') {
        if (!collect(selection.selectionSet, path, depth + 1)) return false;
      } else if (selection.kind === 'FragmentSpread') {
        const fragment = info.fragments[selection.name.value];
        if (!fragment || !collect(fragment.selectionSet, path, depth + 1)) return false;
      } else if (path.length === 0) {
        fields.add((selection as FieldNode).name.value);
      } else if (selection.name.value === path[0]) {
        if (!collect(selection.selectionSet, path.slice(1), depth + 1)) return false;
      }
    }
    return true;
  };
  for (const node of info.fieldNodes) {
    if (!collect(node.selectionSet, ['edges', 'node'], 0)) return undefined;
  }
  return fields;
}
