'use client';

import { useCallback, useState } from 'react';

/** Where a reader is in a cursor-paginated list, and how to move. */
export interface CursorPages {
  /** The cursor to fetch the current page after; `null` on the first page. */
  after: string | null;
  /** The current page, counted from 1. */
  page: number;
  /** Goes to the page after `endCursor` (the current page's last); nothing without one. */
  next(endCursor: string | null): void;
  previous(): void;
  /** Back to the first page, as after a new filter or order. */
  reset(): void;
}

/**
 * Forward cursor pagination with a way back: remembers the `after` cursor of every page visited,
 * so "Previous" returns to exactly the page seen before.
 */
export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const next = useCallback((endCursor: string | null) => {
    if (endCursor) setCursors((stack) => [...stack, endCursor]);
  }, []);
  const previous = useCallback(() => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { after: cursors.at(-1) ?? null, page: cursors.length, next, previous, reset };
}
