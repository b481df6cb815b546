'use client';

import type { PipelineState, QueueMetrics } from '@/lib/graphql/operations';
import { RunConfigForm } from './run-config-form';
import { SpikeControl } from './spike-control';
import { StopControl } from './stop-control';
import { ThresholdControl } from './threshold-control';

/** What the signed-in key may do, as the session knows it. */
type Role = 'operator' | 'viewer';

interface ControlsProps {
  role: Role;
  metrics: QueueMetrics | undefined;
  runId: string | null;
}

const isRunning = (state: PipelineState | undefined) => state === 'RUNNING' || state === 'THROTTLED';

/**
 * The operator's controls: start a run with a configuration, stop it, spike it, move its water
 * marks. Every control is disabled, with the reason beside it, for viewers and when it does not
 * apply to the pipeline's state.
 */
export function Controls({ role, metrics, runId }: ControlsProps) {
  const state = metrics?.state;
  const operator = role === 'operator';
  const known = state !== undefined;
  const running = isRunning(state);

  const viewerReason = 'Signed in with a viewer key: controls need an operator key.';
  const startReason = !operator
    ? viewerReason
    : !known
      ? 'Waiting for the pipeline’s state…'
      : state !== 'IDLE'
        ? 'A run is going on: stop it before starting another.'
        : undefined;
  const runningReason = !operator
    ? viewerReason
    : !known
      ? 'Waiting for the pipeline’s state…'
      : !running
        ? state === 'STOPPING'
          ? 'The run is stopping.'
          : 'No run is going on: start one first.'
        : undefined;

  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Controls</h2>
      {!operator ? (
        <p className="notice" id="viewer-note">
          {viewerReason}
        </p>
      ) : null}
      <RunConfigForm disabledReason={startReason} />
      <div className="control-row">
        <StopControl disabledReason={runningReason} runId={runId} />
        <SpikeControl disabledReason={runningReason} />
      </div>
      <ThresholdControl disabledReason={runningReason} metrics={metrics} />
    </section>
  );
}
