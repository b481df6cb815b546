import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Messages a pool worker sends back. */
export type WorkerReply<Result> =
  | { kind: 'ready' }
  | { kind: 'result'; task: number; result: Result }
  | { kind: 'failed'; task: number; message: string };

interface Pending<Payload, Result> {
  task: number;
  payload: Payload;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

interface PoolWorker<Payload, Result> {
  thread: Worker;
  ready: boolean;
  busy: Pending<Payload, Result> | undefined;
}

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Worker module, as a URL next to the caller (`.js`; the `.ts` sibling is run through tsx in development). */
  script: URL;
  /** Handed to each worker as `workerData`. */
  workerData: unknown;
  /** Number of workers (default: one per core). */
  size?: number;
  /** Told when a worker dies; it is replaced and its batch redone. */
  onWorkerCrash?: (error: Error) => void;
}

/** Consecutive workers dying before they are ready, after which the pool gives up. */
const MAX_FAILED_STARTS = 3;

/** Workers default to one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Starts the worker script: the built `.js`, or, when running from source (tests, `npm run dev`),
 * its `.ts` sibling through tsx's loader, registered inside the new thread.
 */
function startWorker(script: URL, workerData: unknown): Worker {
  const path = fileURLToPath(script);
  if (existsSync(path)) return new Worker(path, { workerData });
  const source = pathToFileURL(path.replace(/\.js$/, '.ts')).href;
  const bootstrap = `(async () => { (await import('tsx/esm/api')).register(); await import(${JSON.stringify(source)}); })()`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * A fixed pool of worker threads, one job at a time each. A worker that crashes is replaced and
 * the job it held is run again, so a crash never loses a batch.
 */
export class WorkerPool<Payload, Result> {
  readonly #options: WorkerPoolOptions;
  readonly #workers = new Set<PoolWorker<Payload, Result>>();
  readonly #waiting: Pending<Payload, Result>[] = [];
  #nextTask = 0;
  #closed = false;
  #crashes = 0;
  #failedStarts = 0;
  #broken: Error | undefined;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    const size = options.size ?? defaultWorkerCount();
    for (let index = 0; index < size; index += 1) this.#spawn();
  }

  /** Jobs running in a worker. */
  get inFlight(): number {
    let busy = 0;
    for (const worker of this.#workers) if (worker.busy) busy += 1;
    return busy;
  }

  /** Jobs waiting for a free worker. */
  get waiting(): number {
    return this.#waiting.length;
  }

  get size(): number {
    return this.#workers.size;
  }

  /** Workers that died (and were replaced, unless the pool gave up). */
  get crashes(): number {
    return this.#crashes;
  }

  /**
   * Runs a job on the next free worker. The payload is copied into the worker (structured
   * clone), not transferred: the original stays here so the job can be redone if the worker
   * dies. For a batch of 256 reads of 150 bp that is ≈ 80 kB, microseconds against the
   * milliseconds its alignment takes.
   */
  run(payload: Payload): Promise<Result> {
    if (this.#closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ task: this.#nextTask++, payload, resolve, reject });
      this.#dispatch();
    });
  }

  /** Waits until every worker has loaded; rejects if they cannot start. */
  async ready(): Promise<void> {
    while ([...this.#workers].some((worker) => !worker.ready) || this.#workers.size === 0) {
      if (this.#broken) throw this.#broken;
      if (this.#closed) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Terminates every worker; jobs waiting or running are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#waiting.splice(0)) pending.reject(new Error('the worker pool was closed'));
    for (const worker of this.#workers) {
      worker.busy?.reject(new Error('the worker pool was closed'));
      worker.busy = undefined;
    }
    await Promise.all([...this.#workers].map((worker) => worker.thread.terminate()));
    this.#workers.clear();
  }

  #spawn(): void {
    const thread = startWorker(this.#options.script, this.#options.workerData);
    const worker: PoolWorker<Payload, Result> = { thread, ready: false, busy: undefined };
    this.#workers.add(worker);
    thread.on('message', (reply: WorkerReply<Result>) => this.#onReply(worker, reply));
    thread.on('error', (error) => this.#onExit(worker, error));
    thread.on('exit', (code) => this.#onExit(worker, new Error(`detector worker exited with code ${code}`)));
  }

  #onReply(worker: PoolWorker<Payload, Result>, reply: WorkerReply<Result>): void {
    if (reply.kind === 'ready') {
      worker.ready = true;
      this.#failedStarts = 0;
    } else {
      const pending = worker.busy;
      worker.busy = undefined;
      if (pending && pending.task === reply.task) {
        if (reply.kind === 'result') pending.resolve(reply.result);
        else pending.reject(new Error(reply.message));
      }
    }
    this.#dispatch();
  }

  #onExit(worker: PoolWorker<Payload, Result>, error: Error): void {
    if (!this.#workers.delete(worker) || this.#closed) return;
    this.#crashes += 1;
    this.#options.onWorkerCrash?.(error);
    // Workers that die before they are ready will not start on a retry either: give up loudly
    // instead of respawning forever.
    if (!worker.ready && ++this.#failedStarts >= MAX_FAILED_STARTS) {
      this.#broken = new Error(`worker threads cannot start: ${error.message}`);
      for (const pending of this.#waiting.splice(0)) pending.reject(this.#broken);
      worker.busy?.reject(this.#broken);
      for (const other of this.#workers) {
        other.busy?.reject(this.#broken);
        void other.thread.terminate();
      }
      this.#workers.clear();
      return;
    }
    // The job it held is redone first, on the replacement or another worker.
    if (worker.busy) this.#waiting.unshift(worker.busy);
    this.#spawn();
    this.#dispatch();
  }

  #dispatch(): void {
    for (const worker of this.#workers) {
      if (this.#waiting.length === 0) return;
      if (!worker.ready || worker.busy) continue;
      const pending = this.#waiting.shift() as Pending<Payload, Result>;
      worker.busy = pending;
      worker.thread.postMessage({ task: pending.task, payload: pending.payload });
    }
  }
}
