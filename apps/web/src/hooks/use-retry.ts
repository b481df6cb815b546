'use client';

import { useEffect } from 'react';
import type { CombinedError } from 'urql';
import { TRANSIENT_CODES } from '@/lib/graphql/codes';

/** True when a request failed because the API (or the dashboard server) could not be reached. */
export function isUnreachable(error: CombinedError | undefined): boolean {
  if (!error) return false;
  const first = error.graphQLErrors[0];
  return first ? TRANSIENT_CODES.includes(String(first.extensions?.code)) : Boolean(error.networkError);
}

/** Asks again every few seconds while the API cannot be reached, so the page recovers by itself. */
export function useRetryWhileUnreachable(error: CombinedError | undefined, reexecute: () => void, delayMs = 3000) {
  const unreachable = isUnreachable(error);
  useEffect(() => {
    if (!unreachable) return;
    const timer = setInterval(reexecute, delayMs);
    return () => clearInterval(timer);
  }, [unreachable, reexecute, delayMs]);
}
