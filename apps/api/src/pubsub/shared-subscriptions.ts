import {
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  GraphQLError,
  getOperationAST,
  print,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { BufferedSubscriber } from './buffered-subscriber.js';
import { FanOutQueue } from './fan-out.js';
import { type SocketDelivery, SocketSubscriber } from './socket-subscriber.js';
import { SharedResult, type StreamingSubscriber, type Subscriber } from './subscriber.js';

/** Results of one execution that may wait for their fan-out before the source is read again. */
const MAX_WAITING_RESULTS = 64;

/** How shared subscriptions behave; every field has a sensible default. */
export interface SharedSubscriptionOptions {
  /** The context one event executes with, from the first subscriber's (fresh loaders per event). */
  eventContext?(base: unknown): unknown;
  /** Which subscribers may share one execution (e.g. the role: answers may differ by role). */
  partition?(context: unknown): string;
  /** A subscriber that writes straight to its socket (graphql-ws), if any. */
  delivery?(context: unknown): SocketDelivery | undefined;
  /** Hides unexpected errors from clients, as the HTTP path does. */
  maskError?(error: GraphQLError): GraphQLError;
  /**
   * Root fields whose events supersede each other: skipped for a subscriber that is behind, and a
   * result still waiting for its fan-out is replaced by a newer one.
   */
  droppable?: ReadonlySet<string>;
  /** Root fields whose latest event a new subscriber receives at once. */
  replayLatest?: ReadonlySet<string>;
  /** Above this many unsent bytes on a socket, droppable events are skipped for it (default 256 KiB). */
  socketSoftLimitBytes?: number;
  /** Above this many unsent bytes a socket is closed as a slow consumer (default 4 MiB). */
  socketHardLimitBytes?: number;
  /** Results held for a subscriber that pulls (SSE); the oldest go first when it falls behind (default 16). */
  bufferSize?: number;
  /** Told whenever an event is dropped for a subscriber that is not keeping up. */
  onDrop?(reason: 'behind' | 'closed-slow'): void;
  /**
   * Longest one slice of a fan-out holds the event loop, in ms (default 5); the rest of the
   * subscribers get the result on later turns, in the same order, before the next result.
   */
  fanOutSliceMs?: number;
}

/**
 * Subscriptions executed once per distinct operation, variables and partition, however many
 * clients subscribe: one source stream, one execution and one `JSON.stringify` per event, then
 * the same serialised payload is written to every socket that shares it, as the graphql-ws `next`
 * message of each client's subscription id. Subscribers that pull (SSE) get the shared result
 * object through a bounded buffer that drops the oldest result when they fall behind; sockets that
 * stop reading skip droppable events and are closed past a hard limit, so no subscriber grows
 * memory without bound.
 */
export class SharedSubscriptions {
  readonly #groups = new Map<string, SharedExecution>();
  readonly options: Required<Omit<SharedSubscriptionOptions, 'onDrop'>> & Pick<SharedSubscriptionOptions, 'onDrop'>;

  constructor(options: SharedSubscriptionOptions = {}) {
    this.options = {
      eventContext: options.eventContext ?? ((base) => base),
      partition: options.partition ?? (() => ''),
      delivery: options.delivery ?? (() => undefined),
      maskError: options.maskError ?? ((error) => error),
      droppable: options.droppable ?? new Set(),
      replayLatest: options.replayLatest ?? new Set(),
      socketSoftLimitBytes: options.socketSoftLimitBytes ?? 256 * 1024,
      socketHardLimitBytes: options.socketHardLimitBytes ?? 4 * 1024 * 1024,
      bufferSize: options.bufferSize ?? 16,
      fanOutSliceMs: options.fanOutSliceMs ?? 5,
      onDrop: options.onDrop,
    };
  }

  /** Distinct executions running now. */
  get executions(): number {
    return this.#groups.size;
  }

  /** Subscribers across all executions. */
  get subscribers(): number {
    let count = 0;
    for (const group of this.#groups.values()) count += group.size;
    return count;
  }

  /**
   * Subscribes like graphql's `subscribe`: an async iterator of results, or a result with the
   * errors that prevented subscribing (bad arguments, missing role).
   */
  async subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const operation = getOperationAST(args.document, args.operationName);
    if (operation?.operation !== 'subscription') {
      return { errors: [new GraphQLError('Only subscription operations can be subscribed to.')] };
    }
    const field = operation.selectionSet.selections.find((selection) => selection.kind === 'Field');
    const fieldName = field?.kind === 'Field' ? field.name.value : '';
    const key = [
      this.options.partition(args.contextValue),
      args.operationName ?? '',
      JSON.stringify(args.variableValues ?? {}),
      print(args.document),
    ].join('\u0000');
    let group = this.#groups.get(key);
    if (!group) {
      group = new SharedExecution(key, fieldName, args, this, () => this.#groups.delete(key));
      this.#groups.set(key, group);
    }
    const failure = await group.started;
    if (failure) return failure;
    const delivery = this.options.delivery(args.contextValue);
    return delivery ? group.addSocket(delivery) : group.addBuffered();
  }

  /** An envelop/yoga plugin routing every subscription (SSE and graphql-ws) through this registry. */
  plugin(): Plugin {
    return {
      onSubscribe: ({ setSubscribeFn }) => {
        setSubscribeFn((args) => this.subscribe(args as ExecutionArgs) as never);
      },
    };
  }
}

/** One shared execution and its subscribers. */
class SharedExecution {
  readonly started: Promise<ExecutionResult | undefined>;
  readonly #subscribers = new Set<Subscriber>();
  readonly #registry: SharedSubscriptions;
  readonly #args: ExecutionArgs;
  readonly #fieldName: string;
  readonly #forget: () => void;
  #source: AsyncIterator<unknown> | undefined;
  /** Results on their way to the subscribers, one fan-out at a time. */
  readonly #queue: FanOutQueue;
  #latest: SharedResult | undefined;
  #closed = false;

  constructor(
    readonly key: string,
    fieldName: string,
    args: ExecutionArgs,
    registry: SharedSubscriptions,
    forget: () => void,
  ) {
    this.#args = args;
    this.#fieldName = fieldName;
    this.#registry = registry;
    this.#forget = forget;
    this.#queue = new FanOutQueue(registry.options.droppable.has(fieldName), {
      sliceMs: registry.options.fanOutSliceMs,
    });
    this.started = this.#start();
  }

  get size(): number {
    return this.#subscribers.size;
  }

  async #start(): Promise<ExecutionResult | undefined> {
    let stream: Awaited<ReturnType<typeof createSourceEventStream>>;
    try {
      stream = await createSourceEventStream(this.#args);
    } catch (error) {
      stream = { errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message)] };
    }
    if (!(Symbol.asyncIterator in stream)) {
      this.#close();
      return this.#mask(stream);
    }
    this.#source = stream[Symbol.asyncIterator]();
    void this.#pump();
    return undefined;
  }

  async #pump(): Promise<void> {
    const source = this.#source as AsyncIterator<unknown>;
    const { options } = this.#registry;
    try {
      for (;;) {
        const next = await source.next();
        if (next.done || this.#closed) break;
        const executed = await execute({
          ...this.#args,
          rootValue: next.value,
          contextValue: options.eventContext(this.#args.contextValue),
        });
        const result = this.#mask(executed);
        const shared = new SharedResult(result, JSON.stringify(result));
        // Who is subscribed now gets it; whoever joins before its fan-out gets it on joining.
        if (options.replayLatest.has(this.#fieldName)) this.#latest = shared;
        this.#queue.push(shared, [...this.#subscribers]);
        // Results that all wait their turn are held here at most this many deep; past that, the
        // source stream holds them back (each holds a list of every subscriber).
        if (this.#queue.waiting >= MAX_WAITING_RESULTS) await this.#queue.idle();
      }
      await this.#queue.idle();
    } catch (error) {
      const result = this.#mask({
        errors: [new GraphQLError((error as Error).message, { originalError: error as Error })],
      });
      this.#queue.push(new SharedResult(result, JSON.stringify(result)), [...this.#subscribers]);
      await this.#queue.idle().catch(() => undefined);
    }
    this.#close();
    for (const subscriber of this.#subscribers) subscriber.end();
    this.#subscribers.clear();
  }

  #mask(result: ExecutionResult): ExecutionResult {
    if (!result.errors?.length) return result;
    return { ...result, errors: result.errors.map((error) => this.#registry.options.maskError(error)) };
  }

  addSocket(delivery: SocketDelivery): AsyncGenerator<ExecutionResult> {
    const { options } = this.#registry;
    const subscriber = new SocketSubscriber(delivery, options, options.droppable.has(this.#fieldName), () =>
      this.#remove(subscriber),
    );
    return this.#add(subscriber);
  }

  addBuffered(): AsyncGenerator<ExecutionResult> {
    const { options } = this.#registry;
    const subscriber = new BufferedSubscriber(options.bufferSize, options.onDrop, () => this.#remove(subscriber));
    return this.#add(subscriber);
  }

  #add(subscriber: StreamingSubscriber): AsyncGenerator<ExecutionResult> {
    if (this.#closed) {
      subscriber.end();
      return subscriber.iterator;
    }
    this.#subscribers.add(subscriber);
    if (this.#latest) subscriber.deliver(this.#latest);
    return subscriber.iterator;
  }

  #remove(subscriber: Subscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) {
      this.#close();
      void this.#source?.return?.();
    }
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#forget();
  }
}
