'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { isSchemaMismatch, useTolerantSubscription } from '@/hooks/use-tolerant-subscription';
import { formatPercent, formatQuality, formatTime } from '@/lib/format';
import {
  type Interpretation,
  interpretationsQuery,
  MutationDetectedSubscription,
  MutationDetectedSubscriptionBasic,
  type Variant,
} from '@/lib/graphql/operations';

/** How many alarms the feed keeps. */
const FEED_LENGTH = 50;
/** How long after an alarm the feed looks for its interpretation. */
const INTERPRETATION_WAIT_MS = 120_000;

interface Alarm extends Variant {
  receivedAt: number;
}

/** Keeps the newest alarms first, one entry per variant. */
function addAlarm(feed: Alarm[] | undefined, data: { mutationDetected: Variant }): Alarm[] {
  const alarm = { ...data.mutationDetected, receivedAt: Date.now() };
  const rest = (feed ?? []).filter((entry) => entry.id !== alarm.id);
  return [alarm, ...rest].slice(0, FEED_LENGTH);
}

/**
 * The mutation alarm feed: confirmed variants as the pipeline announces them, with their
 * interpretation (rule-based or a model's) filled in when it is ready.
 */
export function AlarmFeed() {
  const client = useClient();
  const { data: alarms, basic } = useTolerantSubscription(
    MutationDetectedSubscription,
    MutationDetectedSubscriptionBasic,
    addAlarm,
  );
  const [interpretations, setInterpretations] = useState<Record<string, Interpretation>>({});
  const lookups = useRef(true);
  const latest = useRef(alarms);
  latest.current = alarms;
  const interpretationsRef = useRef(interpretations);
  interpretationsRef.current = interpretations;

  // Interpretations arrive after the alarm: look the newest uninterpreted ones up every 3 s.
  useEffect(() => {
    if (basic) return;
    const timer = setInterval(async () => {
      if (!lookups.current) return;
      const pending = (latest.current ?? [])
        .filter((alarm) => !alarm.interpretation && Date.now() - alarm.receivedAt < INTERPRETATION_WAIT_MS)
        .filter((alarm) => !interpretationsRef.current[alarm.id])
        .slice(0, 5);
      if (pending.length === 0) return;
      const variables = Object.fromEntries(pending.map((alarm, index) => [`id${index}`, alarm.id]));
      const result = await client
        .query<Record<string, { id: string; interpretation: Interpretation | null } | null>>(
          interpretationsQuery(pending.length),
          variables,
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (isSchemaMismatch(result.error)) {
        lookups.current = false;
        return;
      }
      const found = Object.values(result.data ?? {}).filter((variant) => variant?.interpretation);
      if (found.length > 0) {
        setInterpretations((current) => {
          const next = { ...current };
          for (const variant of found) if (variant?.interpretation) next[variant.id] = variant.interpretation;
          return next;
        });
      }
    }, 3000);
    return () => clearInterval(timer);
  }, [basic, client]);
  return (
    <section className="panel alarm-feed" aria-labelledby="alarms-title">
      <h2 id="alarms-title">Mutation alarms</h2>
      {!alarms || alarms.length === 0 ? (
        <p className="muted">
          No mutations detected since this page opened. Confirmed variants appear here as they are called.
        </p>
      ) : (
        <ol className="alarms" aria-label="Detected mutations, newest first" data-testid="alarms">
          {alarms.map((alarm) => {
            const interpretation = alarm.interpretation ?? interpretations[alarm.id];
            return (
              <li key={alarm.id} className="alarm">
                <div className="alarm-head">
                  <span className="mono">
                    {alarm.contig ? `${alarm.contig}:` : ''}
                    {alarm.position.toLocaleString('en-US')}
                  </span>
                  <span className="mono allele">
                    {alarm.ref}→{alarm.alt}
                  </span>
                  {alarm.type ? <span className={`tag tag-${alarm.type.toLowerCase()}`}>{alarm.type}</span> : null}
                  <span className="alarm-figures">
                    AF {formatPercent(alarm.alleleFrequency)} · Q {formatQuality(alarm.quality)}
                  </span>
                  <time className="muted" dateTime={new Date(alarm.receivedAt).toISOString()}>
                    {formatTime(alarm.receivedAt)}
                  </time>
                </div>
                {interpretation ? (
                  <p className="alarm-interpretation">
                    <span className="tag tag-source">{interpretation.source}</span> {interpretation.summary}
                  </p>
                ) : basic ? null : (
                  <p className="alarm-interpretation muted">Interpretation pending…</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
