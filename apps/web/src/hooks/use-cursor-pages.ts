'use client';

import { useCallback, useState } from 'react';

/**
 * Forward cursor pagination with a way back: remembers the `after` cursor of every page visited,
 * so "Previous" returns to exactly the page seen before.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const next = useCallback((endCursor: string | null) => {
    if (endCursor) setCursors((stack) => [...stack, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { after: cursors.at(-1) ?? null, page: cursors.length, next, previous, reset };
}
