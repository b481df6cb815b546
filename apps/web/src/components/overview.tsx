'use client';

import Link from 'next/link';
import { useLivePipeline } from '@/hooks/use-live-pipeline';
import { backlogOf, backpressureOf } from '@/lib/backpressure';
import { shortId } from '@/lib/format';
import { AlarmFeed } from './alarm-feed';
import { BackpressureBanner } from './backpressure-banner';
import { ConcernBanner } from './concern-banner';
import { ConnectionIndicator } from './connection-indicator';
import { Controls } from './controls/controls';
import { GenomeTrack } from './genome-track/genome-track';
import { LiveCharts } from './live-charts';
import { MetricCards } from './metric-cards';

const STATE_LABEL = { IDLE: 'Idle', RUNNING: 'Running', THROTTLED: 'Throttled', STOPPING: 'Stopping' } as const;

/** The live overview: state, backpressure, headline figures, charts, controls and alarms. */
export function Overview({ role }: { role: 'operator' | 'viewer' }) {
  const live = useLivePipeline();
  const state = live.metrics?.state;
  return (
    <div className="overview">
      <div className="page-head">
        <div className="page-title">
          <h1>Overview</h1>
          <span className={`state state-${state?.toLowerCase() ?? 'unknown'}`} data-testid="pipeline-state">
            {state ? STATE_LABEL[state] : 'Unknown'}
          </span>
          {live.runId ? (
            <Link href={`/runs/${live.runId}`} className="run-link">
              Run {shortId(live.runId)}
            </Link>
          ) : null}
        </div>
        <ConnectionIndicator />
      </div>
      <ConcernBanner />
      <BackpressureBanner backpressure={backpressureOf(live.metrics)} backlog={backlogOf(live.metrics)} />
      <MetricCards metrics={live.metrics} variantsConfirmed={live.variantsConfirmed} />
      <LiveCharts samples={live.samples} />
      {live.runId ? (
        <GenomeTrack
          key={live.runId}
          runId={live.runId}
          tick={state === 'IDLE' ? undefined : live.metrics?.readsAnalysed}
          title="Genome track of the live run"
        />
      ) : null}
      <div className="overview-columns">
        <Controls role={role} metrics={live.metrics} runId={live.runId} />
        <AlarmFeed />
      </div>
    </div>
  );
}
