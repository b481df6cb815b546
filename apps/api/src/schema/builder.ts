import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import type { Database } from '../db/database.js';
import type { Role } from '../env.js';

/** What every resolver can reach: the caller's role and the process's services. */
export interface Context {
  /** The role the request's key grants; undefined for anonymous callers. */
  role: Role | undefined;
  database: Database;
}

/** The one Pothos builder; each domain file under schema/ registers its types on it. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    SafeInt: { Input: number; Output: number | bigint };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
  },
  errors: {
    defaultTypes: [],
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
// Counts arrive from PostgreSQL as bigint; SafeInt serves them as exact JSON numbers up to 2^53 - 1.
builder.addScalarType('SafeInt', SafeIntResolver, {
  serialize: (value) => {
    if (typeof value !== 'bigint') return SafeIntResolver.serialize(value);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new TypeError(`SafeInt cannot represent ${value} exactly`);
    }
    return Number(value);
  },
});

builder.queryType({});
