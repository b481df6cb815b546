interface PagerProps {
  label: string;
  page: number;
  pageSize: number;
  totalCount: number | undefined;
  hasNextPage: boolean;
  onPrevious(): void;
  onNext(): void;
  busy?: boolean;
}

/** "Previous / Next" for a cursor-paginated table, with where the reader is. */
export function Pager({ label, page, pageSize, totalCount, hasNextPage, onPrevious, onNext, busy }: PagerProps) {
  const pages = totalCount !== undefined ? Math.max(1, Math.ceil(totalCount / pageSize)) : undefined;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button button-small" onClick={onPrevious} disabled={page <= 1 || busy}>
        Previous
      </button>
      <span aria-live="polite" data-testid={`${label.toLowerCase().replace(/\s+/g, '-')}-page`}>
        Page {page}
        {pages !== undefined ? ` of ${pages}` : ''}
        {totalCount !== undefined ? ` · ${totalCount.toLocaleString('en-US')} in all` : ''}
      </span>
      <button type="button" className="button button-small" onClick={onNext} disabled={!hasNextPage || busy}>
        Next
      </button>
    </nav>
  );
}
