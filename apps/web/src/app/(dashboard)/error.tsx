'use client';

/** Shown when a dashboard page fails to render; the API being down is handled inside pages. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset(): void }) {
  return (
    <div className="panel" role="alert">
      <h1>Something went wrong</h1>
      <p>{error.message || 'The page could not be shown.'}</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
