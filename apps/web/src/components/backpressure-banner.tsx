import type { Backpressure } from '@/lib/backpressure';

/** The backpressure alert: present only while throttled or above 80 % of high-water. */
export function BackpressureBanner({ backpressure }: { backpressure: Backpressure }) {
  if (backpressure.level === 'none') return null;
  return (
    <div role="alert" className={`banner banner-${backpressure.level}`} data-testid="backpressure-banner">
      <strong>{backpressure.title}</strong>
      <span>{backpressure.detail}</span>
    </div>
  );
}
