import type { Backpressure } from '@/lib/backpressure';

/**
 * The backpressure alert, present only while throttled or above 80 % of high-water, with a run
 * folder's backlog on disk; a backlog alone shows as a quieter status line.
 */
export function BackpressureBanner({
  backpressure,
  backlog,
}: {
  backpressure: Backpressure;
  backlog: string | undefined;
}) {
  const backlogLine = backlog ? <span data-testid="backlog">Backlog on disk: {backlog}</span> : null;
  if (backpressure.level === 'none') {
    return backlogLine ? (
      <div role="status" className="banner banner-backlog" data-testid="backlog-banner">
        {backlogLine}
      </div>
    ) : null;
  }
  return (
    <div role="alert" className={`banner banner-${backpressure.level}`} data-testid="backpressure-banner">
      <strong>{backpressure.title}</strong>
      <span>{backpressure.detail}</span>
      {backlogLine}
    </div>
  );
}
