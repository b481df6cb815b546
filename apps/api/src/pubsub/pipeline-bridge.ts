import type { ConcernAlarm } from '../concern/alarm.js';
import { logMutationDetected } from '../interpret/alarm.js';
import type { Logger } from '../logger.js';
import type { PipelineControl } from '../pipeline/control.js';
import type { PipelineObserver } from '../pipeline/events.js';
import { idleMetrics } from '../pipeline/metrics.js';
import type { HelixPubSub } from './events.js';

/** Options of {@link bridgePipeline}. */
export interface PipelineBridgeOptions {
  pubsub: HelixPubSub;
  logger: Logger;
  /** Told when a run's stored data changes (cached answers about it must go). */
  onRunChanged?(runId: string): void;
  /** Raises the distinct alarm of calls that match a mutation of concern. */
  concernAlarm?: ConcernAlarm;
  /** While no run goes on, an idle snapshot is published this often (default 1 s). */
  idleIntervalMs?: number;
}

/** Connects a pipeline to the pubsub: the observer to give the pipeline, then `attach` it. */
export interface PipelineBridge {
  observer: PipelineObserver;
  attach(pipeline: PipelineControl): void;
  close(): void;
}

/**
 * The one metrics stream: the pipeline's own ticker (every 250 ms during a run) publishes each
 * snapshot once, and a change of state adds one at once; every subscription listens to that, none
 * has a timer of its own. While idle, one slow heartbeat keeps dashboards current.
 */
export function bridgePipeline(options: PipelineBridgeOptions): PipelineBridge {
  const { pubsub, logger } = options;
  let pipeline: PipelineControl | undefined;
  const heartbeat = setInterval(() => {
    if (pipeline?.state !== 'IDLE') return;
    pubsub.publish('metrics', { ...idleMetrics(pipeline.metrics()), state: 'IDLE', runId: undefined });
  }, options.idleIntervalMs ?? 1_000);
  heartbeat.unref();
  return {
    observer: {
      metrics(snapshot) {
        pubsub.publish('metrics', {
          ...snapshot,
          state: pipeline?.state ?? 'RUNNING',
          runId: pipeline?.run?.id,
        });
      },
      status(change) {
        logger.info({ state: change.state, runId: change.runId }, 'pipeline state changed');
        pubsub.publish('pipelineStatus', change);
        // A change of state (throttled, resumed, stopping) is news at once, not at the next tick.
        if (pipeline?.run && change.runId === pipeline.run.id && change.state !== 'IDLE') {
          pubsub.publish('metrics', { ...pipeline.metrics(), state: change.state, runId: change.runId });
        }
        if (change.runId) options.onRunChanged?.(change.runId);
      },
      mutationDetected(variant) {
        logMutationDetected(logger, variant);
        options.concernAlarm?.raise(variant);
        pubsub.publish('mutationDetected', variant);
        options.onRunChanged?.(variant.runId);
      },
      warning(message, detail) {
        logger.warn(detail ?? {}, message);
      },
    },
    attach(attached) {
      pipeline = attached;
    },
    close() {
      clearInterval(heartbeat);
    },
  };
}

/** One observer that tells each of `observers` everything (e.g. the pubsub bridge and the interpreter). */
export function combineObservers(...observers: PipelineObserver[]): PipelineObserver {
  return {
    metrics: (snapshot) => {
      for (const observer of observers) observer.metrics?.(snapshot);
    },
    status: (change) => {
      for (const observer of observers) observer.status?.(change);
    },
    mutationDetected: (variant) => {
      for (const observer of observers) observer.mutationDetected?.(variant);
    },
    warning: (message, detail) => {
      for (const observer of observers) observer.warning?.(message, detail);
    },
  };
}
