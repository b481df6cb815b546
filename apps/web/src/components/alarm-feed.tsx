'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient, useSubscription } from 'urql';
import { timeToDetection } from '@/lib/detection';
import { effectsLabel } from '@/lib/effects';
import { formatPercent, formatQuality, formatTime } from '@/lib/format';
import {
  type Alarm,
  type Interpretation,
  InterpretationQuery,
  MutationDetectedSubscription,
} from '@/lib/graphql/operations';

/** How many alarms the feed keeps. */
const FEED_LENGTH = 50;
/** How long after an alarm the feed looks for its interpretation. */
const INTERPRETATION_WAIT_MS = 120_000;
/** How many interpretations the feed looks up at a time. */
const LOOKUPS_PER_ROUND = 5;

interface ReceivedAlarm extends Alarm {
  receivedAt: number;
}

/** Keeps the newest alarms first, one entry per variant. */
function addAlarm(feed: ReceivedAlarm[] | undefined, data: { mutationDetected: Alarm }): ReceivedAlarm[] {
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
  const [{ data: alarms }] = useSubscription({ query: MutationDetectedSubscription }, addAlarm);
  const [interpretations, setInterpretations] = useState<Record<string, Interpretation>>({});
  const latest = useRef(alarms);
  latest.current = alarms;
  const interpretationsRef = useRef(interpretations);
  interpretationsRef.current = interpretations;

  // Interpretations arrive after the alarm: look the newest uninterpreted ones up every 3 s.
  useEffect(() => {
    const timer = setInterval(async () => {
      const pending = (latest.current ?? [])
        .filter((alarm) => !alarm.interpretation && Date.now() - alarm.receivedAt < INTERPRETATION_WAIT_MS)
        .filter((alarm) => !interpretationsRef.current[alarm.id])
        .slice(0, LOOKUPS_PER_ROUND);
      if (pending.length === 0) return;
      const results = await Promise.all(
        pending.map((alarm) =>
          client.query(InterpretationQuery, { id: alarm.id }, { requestPolicy: 'network-only' }).toPromise(),
        ),
      );
      const found = results.flatMap(({ data }) =>
        data?.variant?.interpretation ? [[data.variant.id, data.variant.interpretation] as const] : [],
      );
      if (found.length > 0) setInterpretations((current) => ({ ...current, ...Object.fromEntries(found) }));
    }, 3000);
    return () => clearInterval(timer);
  }, [client]);
  return (
    <section className="panel alarm-feed" aria-labelledby="alarms-title">
      <h2 id="alarms-title">Mutation alarms</h2>
      {!alarms || alarms.length === 0 ? (
        <p className="muted">
          No mutations detected since this page opened. Confirmed variants appear here as they are called.
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls once it outgrows its height, and a keyboard must reach it to scroll (axe scrollable-region-focusable)
        <ol className="alarms" aria-label="Detected mutations, newest first" data-testid="alarms" tabIndex={0}>
          {alarms.map((alarm) => {
            const interpretation = alarm.interpretation ?? interpretations[alarm.id];
            const effects = effectsLabel(alarm.effects);
            const concern = alarm.mutationOfConcern;
            const latency = timeToDetection(alarm.fileArrivedAt, alarm.detectedAt, formatTime);
            return (
              <li key={alarm.id} className={concern ? 'alarm alarm-concern' : 'alarm'}>
                <div className="alarm-head">
                  {alarm.sample ? (
                    <span className="tag tag-sample" title="Sample">
                      {alarm.sample}
                    </span>
                  ) : null}
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
                {effects ? <p className="alarm-effects">{effects}</p> : null}
                {latency ? <p className="alarm-latency muted">{latency}</p> : null}
                {concern ? (
                  <p className="alarm-concern-label">
                    <span className="tag tag-concern">Mutation of concern</span>
                    {concern.label ? ` ${concern.label}` : null}
                  </p>
                ) : null}
                {interpretation ? (
                  <p className="alarm-interpretation">
                    <span className="tag tag-source">{interpretation.source}</span> {interpretation.summary}
                  </p>
                ) : (
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
