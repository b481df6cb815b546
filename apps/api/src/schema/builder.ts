import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import type { Caller } from '../auth/caller.js';
import type { KeyAdministration } from '../auth/key-administration.js';
import type { MutationsOfConcern } from '../concern/list.js';
import type { Database } from '../db/database.js';
import type { Role } from '../env.js';
import type { CacheScope } from '../http/response-cache.js';
import type { InterpretationMetrics } from '../interpret/metrics.js';
import type { PipelineControl } from '../pipeline/control.js';
import type { HelixPubSub } from '../pubsub/events.js';
import type { SocketDelivery } from '../pubsub/socket-subscriber.js';
import type { Loaders } from '../read-model/loaders.js';
import type { ReadModel } from '../read-model/read-model.js';

/** What every resolver can reach: the caller's role and the process's services. */
export interface Context {
  /** The role the request's key grants; undefined for anonymous callers. */
  role: Role | undefined;
  /** Who is calling, for per-caller limits: the caller's id (a key digest, a token subject), or the address. */
  callerId: string;
  /** The key or token holder the request was made by; undefined for anonymous callers. */
  caller: Caller | undefined;
  database: Database;
  pipeline: PipelineControl;
  /** Counters of the interpretation service. */
  interpretationMetrics: () => InterpretationMetrics;
  pubsub: HelixPubSub;
  /** Hand-written SQL over the stored results. */
  reads: ReadModel;
  /** Per-request batching loaders (no N+1 on connections). */
  loaders: Loaders;
  /** The only directory whose files a client may name (`HELIX_INPUT_DIR`). */
  inputDir: string;
  /** The keys created at run time (operators create, list and revoke them). */
  keys: KeyAdministration;
  /** The mutations of concern (operators change them; matching reads them from memory). */
  concerns: MutationsOfConcern;
  /** Set by the response cache for queries: resolvers say which runs the answer depends on. */
  cacheScope?: CacheScope;
  /** Set for graphql-ws subscriptions: where shared results are written directly. */
  delivery?: SocketDelivery;
}

/** The shape every connection resolver returns beside its edges: a lazily computed total. */
export interface ConnectionExtras {
  totalCount: () => Promise<number>;
}

/** The one Pothos builder; each domain file under schema/ registers its types on it. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Connection: ConnectionExtras;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    SafeInt: { Input: number; Output: number | bigint };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
  },
  errors: {
    defaultTypes: [],
    directResult: true,
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
builder.mutationType({});
builder.subscriptionType({});
