import type { RunConfigInput } from '../pipeline/config.js';
import type { PipelineControl } from '../pipeline/control.js';
import type { PipelineState } from '../pipeline/events.js';
import type { PipelineMetrics } from '../pipeline/metrics.js';
import { type Pipeline, PipelineAlreadyRunningError, PipelineNotRunningError } from '../pipeline/pipeline.js';
import type { WaterMarks } from '../pipeline/queue.js';
import type { LiveGenome } from '../pipeline/sample-coverage.js';
import type { HelixPubSub, MetricsEvent } from '../pubsub/events.js';
import type { ControlBus, ControlCommand } from './control-bus.js';
import type { PipelineLease } from './pipeline-lease.js';

/** A run at another replica counts as going on while its metrics keep arriving this often. */
const REMOTE_FRESH_MS = 3_000;

/** Options of a {@link ClusterPipeline}. */
export interface ClusterPipelineOptions {
  local: Pipeline;
  lease: PipelineLease;
  control: ControlBus;
  /** The cross-replica pubsub, where the owner's metrics arrive. */
  pubsub: HelixPubSub;
}

/**
 * The pipeline as one replica of many sees it. Starting a run takes the cluster's lease, so one
 * replica produces at a time; stop, spike and thresholds go to the replica holding it. While
 * another replica runs, state and metrics are those it publishes.
 */
export class ClusterPipeline implements PipelineControl {
  readonly #local: Pipeline;
  readonly #lease: PipelineLease;
  readonly #control: ControlBus;
  #remote: MetricsEvent | undefined;
  #remoteAt = 0;
  readonly #following: AsyncIterator<MetricsEvent>;

  constructor(options: ClusterPipelineOptions) {
    this.#local = options.local;
    this.#lease = options.lease;
    this.#control = options.control;
    this.#following = options.pubsub.subscribe('metrics')[Symbol.asyncIterator]();
    void this.#follow();
  }

  /** Carries out a command another replica forwarded (this replica holds the run). */
  handle(command: ControlCommand): Promise<unknown> {
    switch (command.name) {
      case 'stop':
        return this.#local.stop(command.drain).then((outcome) => ({ runId: outcome.runId }));
      case 'spike':
        return Promise.resolve(this.#local.spike(command.multiplier, command.durationSeconds));
      case 'updateThresholds':
        return Promise.resolve(this.#local.updateThresholds(command.highWater, command.lowWater));
    }
  }

  get state(): PipelineState {
    if (this.#local.run) return this.#local.state;
    return this.#remoteRun()?.state ?? this.#local.state;
  }

  get run(): { id: string } | undefined {
    if (this.#local.run) return { id: this.#local.run.id };
    const remote = this.#remoteRun();
    return remote?.runId ? { id: remote.runId } : undefined;
  }

  /** The run's genome when it goes on at this replica; another replica's is served from storage. */
  liveGenome(runId: string): LiveGenome | undefined {
    return this.#local.liveGenome(runId);
  }

  metrics(): PipelineMetrics {
    if (this.#local.run) return this.#local.metrics();
    return this.#remoteRun() ?? this.#local.metrics();
  }

  async start(input: RunConfigInput): Promise<{ id: string }> {
    if (!(await this.#lease.acquire())) {
      throw new PipelineAlreadyRunningError('A run is already going on at another replica; stop it first.');
    }
    try {
      const handle = await this.#local.start(input);
      void this.#local.whenRunEnds().finally(() => this.#lease.release().catch(() => undefined));
      return handle;
    } catch (error) {
      await this.#lease.release();
      throw error;
    }
  }

  async stop(drain = true): Promise<{ runId: string }> {
    if (this.#local.run) return this.#local.stop(drain);
    return (await this.#forward({ name: 'stop', drain })) as { runId: string };
  }

  async spike(multiplier: number, durationSeconds: number): Promise<void> {
    if (this.#local.run) return this.#local.spike(multiplier, durationSeconds);
    await this.#forward({ name: 'spike', multiplier, durationSeconds });
  }

  async updateThresholds(highWater: number, lowWater: number): Promise<WaterMarks> {
    if (this.#local.run) return this.#local.updateThresholds(highWater, lowWater);
    const marks = (await this.#forward({ name: 'updateThresholds', highWater, lowWater })) as WaterMarks;
    // The owner's next tick will say so too; until then, answer with what it just applied.
    if (this.#remote) this.#remote = { ...this.#remote, ...marks };
    return marks;
  }

  /** Stops following the cluster's metrics. */
  close(): void {
    void this.#following.return?.();
  }

  async #forward(command: ControlCommand): Promise<unknown> {
    const holder = await this.#lease.holder();
    if (!holder) throw new PipelineNotRunningError('No run is going on.');
    return this.#control.request(holder, command);
  }

  #remoteRun(): MetricsEvent | undefined {
    if (!this.#remote || this.#remote.state === 'IDLE') return undefined;
    return Date.now() - this.#remoteAt < REMOTE_FRESH_MS ? this.#remote : undefined;
  }

  async #follow(): Promise<void> {
    for (;;) {
      const next = await this.#following.next();
      if (next.done) return;
      // This replica's own run is read from its pipeline; only others' news is kept here.
      if (this.#local.run) continue;
      this.#remote = next.value;
      this.#remoteAt = Date.now();
    }
  }
}
