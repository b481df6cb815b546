'use client';

import type { TypedDocumentNode } from '@urql/core';
import { useState } from 'react';
import { type CombinedError, useSubscription } from 'urql';

/** True when an error says the API's schema lacks a field the document asks for. */
export function isSchemaMismatch(error: CombinedError | undefined): boolean {
  return (
    error?.graphQLErrors.some(
      (graphQLError) =>
        graphQLError.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ||
        /Cannot query field|Unknown type|Unknown argument/.test(graphQLError.message),
    ) ?? false
  );
}

/**
 * Subscribes with `rich`, and if the API's schema does not know one of its extra fields, with
 * `basic` (the document exactly as API.md gives it) from then on.
 */
export function useTolerantSubscription<Data, Result>(
  rich: TypedDocumentNode<Data>,
  basic: TypedDocumentNode<Data>,
  handler: (previous: Result | undefined, data: Data) => Result,
  pause = false,
) {
  const [useBasic, setUseBasic] = useState(false);
  const [result] = useSubscription<Data, Result>({ query: useBasic ? basic : rich, pause }, handler);
  if (!useBasic && isSchemaMismatch(result.error)) setUseBasic(true);
  return { ...result, basic: useBasic };
}
