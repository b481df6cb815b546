import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { PipelineNotRunningError } from '../pipeline/pipeline.js';
import { InvalidWaterMarksError } from '../pipeline/queue.js';

/** A pipeline command one replica sends to the replica running the run. */
export type ControlCommand =
  | { name: 'stop'; drain: boolean }
  | { name: 'spike'; multiplier: number; durationSeconds: number }
  | { name: 'updateThresholds'; highWater: number; lowWater: number };

interface Request {
  id: string;
  replyTo: string;
  command: ControlCommand;
}

type Reply =
  | { id: string; ok: true; value: unknown }
  | { id: string; ok: false; error: { name: string; message: string; field?: string } };

/** Options of a {@link ControlBus}. */
export interface ControlBusOptions {
  publisher: Redis;
  /** A connection in subscriber mode (may be shared with the pubsub's). */
  subscriber: Redis;
  /** The pub/sub channel of a replica's commands. */
  channelOf(replicaId: string): string;
  replicaId: string;
  logger: Logger;
  /** Carries out a command sent to this replica. */
  handle(command: ControlCommand): Promise<unknown>;
}

/** The errors a command may answer with, rebuilt on the sender's side as the same classes. */
function rebuildError(error: { name: string; message: string; field?: string }): Error {
  if (error.name === 'PipelineNotRunningError') return new PipelineNotRunningError(error.message);
  if (error.name === 'InvalidWaterMarksError') {
    return new InvalidWaterMarksError(error.message, error.field === 'lowWater' ? 'lowWater' : 'highWater');
  }
  if (error.name === 'RangeError') return new RangeError(error.message);
  return new Error(error.message);
}

/**
 * Request and reply over Redis pub/sub between replicas: `stopPipeline` sent to any replica is
 * carried out by the one whose producer runs. Each replica listens on its own channel and on
 * its own reply channel.
 */
export class ControlBus {
  readonly #options: ControlBusOptions;
  readonly #replyChannel: string;
  readonly #waiting = new Map<string, (reply: Reply) => void>();
  readonly #onMessage = (channel: string, message: string) => this.#receive(channel, message);

  constructor(options: ControlBusOptions) {
    this.#options = options;
    this.#replyChannel = `${options.channelOf(options.replicaId)}:replies`;
  }

  async start(): Promise<void> {
    const { subscriber, channelOf, replicaId } = this.#options;
    subscriber.on('message', this.#onMessage);
    await subscriber.subscribe(channelOf(replicaId), this.#replyChannel);
  }

  async close(): Promise<void> {
    const { subscriber, channelOf, replicaId } = this.#options;
    subscriber.off('message', this.#onMessage);
    await subscriber.unsubscribe(channelOf(replicaId), this.#replyChannel).catch(() => undefined);
  }

  /** Sends `command` to `replicaId` and waits for its answer (its error is thrown here). */
  async request(replicaId: string, command: ControlCommand, timeoutMs = 120_000): Promise<unknown> {
    const request: Request = { id: randomUUID(), replyTo: this.#replyChannel, command };
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(request.id);
        reject(new Error(`replica ${replicaId}, which runs the pipeline, did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(request.id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    const listeners = await this.#options.publisher.publish(
      this.#options.channelOf(replicaId),
      JSON.stringify(request),
    );
    if (listeners === 0) {
      this.#waiting.delete(request.id);
      throw new PipelineNotRunningError(`No run is going on (replica ${replicaId} no longer answers).`);
    }
    const answer = await reply;
    if (!answer.ok) throw rebuildError(answer.error);
    return answer.value;
  }

  #receive(channel: string, message: string): void {
    if (channel === this.#replyChannel) {
      const reply = JSON.parse(message) as Reply;
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
      return;
    }
    if (channel !== this.#options.channelOf(this.#options.replicaId)) return;
    const request = JSON.parse(message) as Request;
    this.#options.logger.info({ command: request.command.name }, 'pipeline command from another replica');
    void this.#options
      .handle(request.command)
      .then(
        (value): Reply => ({ id: request.id, ok: true, value }),
        (error: Error & { field?: string }): Reply => ({
          id: request.id,
          ok: false,
          error: { name: error.name, message: error.message, ...(error.field && { field: error.field }) },
        }),
      )
      .then((reply) => this.#options.publisher.publish(request.replyTo, JSON.stringify(reply)));
  }
}
