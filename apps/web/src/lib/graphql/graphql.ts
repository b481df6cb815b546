import { initGraphQLTada } from 'gql.tada';
import type { introspection } from '@/generated/graphql-env';

/**
 * Parses a GraphQL document and types its result and variables from the API's committed
 * `schema.graphql` (through `src/generated/graphql-env.d.ts`; `npm run generate` renews it).
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; SafeInt: number };
}>();

/** A schema type by name (enums, input objects), as the documents send and receive it. */
export type SchemaType<Name extends Parameters<typeof graphql.scalar>[0]> = ReturnType<typeof graphql.scalar<Name>>;

export type { ResultOf, VariablesOf } from 'gql.tada';
