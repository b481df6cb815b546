'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useSubscription } from 'urql';
import { effectsLabel } from '@/lib/effects';
import { formatPercent } from '@/lib/format';
import { type ConcernAlarm, ConcernDetectedSubscription } from '@/lib/graphql/operations';

/** How many concern alarms the banner lists at once. */
const SHOWN = 5;

function addConcern(seen: ConcernAlarm[] | undefined, data: { mutationDetected: ConcernAlarm }): ConcernAlarm[] {
  const alarm = data.mutationDetected;
  return [alarm, ...(seen ?? []).filter((entry) => entry.id !== alarm.id)].slice(0, SHOWN);
}

/** What one concern alarm says: "rpoB S450L (rifampicin resistance): rpoB:S450L missense, AF 98.0 %". */
function concernText(alarm: ConcernAlarm): string {
  const concern = alarm.mutationOfConcern;
  const name = concern ? `${concern.gene} ${concern.aminoAcidChange}` : `${alarm.contig}:${alarm.position}`;
  const label = concern?.label ? ` (${concern.label})` : '';
  const effects = effectsLabel(alarm.effects);
  return `${name}${label}${effects ? `: ${effects}` : ''}, AF ${formatPercent(alarm.alleleFrequency)}`;
}

/**
 * A banner for each mutation of concern detected since the page opened, over the filtered
 * `mutationDetected` subscription; stays until dismissed.
 */
export function ConcernBanner() {
  const [{ data: alarms }] = useSubscription({ query: ConcernDetectedSubscription }, addConcern);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = (alarms ?? []).filter((alarm) => !dismissed.has(alarm.id));
  if (shown.length === 0) return null;
  return (
    <div className="banner banner-concern" role="alert" data-testid="concern-banner">
      <strong>Mutation of concern detected</strong>
      <ul>
        {shown.map((alarm) => (
          <li key={alarm.id}>
            <span>{concernText(alarm)}</span> <Link href={`/runs/${alarm.runId}`}>View run</Link>{' '}
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => setDismissed((current) => new Set([...current, alarm.id]))}
              aria-label={`Dismiss ${concernText(alarm)}`}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
