import type { CursorPages } from '@/hooks/use-cursor-pages';

/** What the pager reads of a GraphQL connection: its size and whether (and after what) more follow. */
export interface PagedConnection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null | undefined };
}

interface PagerProps {
  label: string;
  pages: CursorPages;
  pageSize: number;
  /** The page shown; `undefined` before the first answer. */
  connection: PagedConnection | undefined;
  busy?: boolean;
}

/** "Previous / Next" for a cursor-paginated table, with where the reader is. */
export function Pager({ label, pages, pageSize, connection, busy }: PagerProps) {
  const totalCount = connection?.totalCount;
  const pageCount = totalCount !== undefined ? Math.max(1, Math.ceil(totalCount / pageSize)) : undefined;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-small" onClick={pages.previous} disabled={pages.page <= 1 || busy}>
        Previous
      </button>
      <span aria-live="polite" data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-page`}>
        Page {pages.page}
        {pageCount !== undefined ? ` of ${pageCount}` : ''}
        {totalCount !== undefined ? ` · ${totalCount.toLocaleString('en-US')} in all` : ''}
      </span>
      <button
        type="button"
        className="button button-small"
        onClick={() => pages.next(connection?.pageInfo.endCursor ?? null)}
        disabled={!(connection?.pageInfo.hasNextPage ?? false) || busy}
      >
        Next
      </button>
    </nav>
  );
}
