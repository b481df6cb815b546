import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What one query's answer depends on. Resolvers of stored data call {@link dependOnRun}; anything
 * live (the pipeline, a running run, lists across runs) calls {@link uncacheable}. Only answers
 * that depend on finished runs alone are cached.
 */
export class CacheScope {
  readonly runIds = new Set<string>();
  #cacheable = true;

  /** The answer reads this run; it may be cached only while the run is finished. */
  dependOnRun(runId: string, finished: boolean): void {
    if (finished) this.runIds.add(runId);
    else this.#cacheable = false;
  }

  /** The answer reads something live: never cache it. */
  uncacheable(): void {
    this.#cacheable = false;
  }

  get storable(): boolean {
    return this.#cacheable && this.runIds.size > 0;
  }
}

interface Entry {
  result: ExecutionResult;
  runIds: string[];
  expiresAt: number;
  /** Approximate memory held: the length of the serialised answer. */
  bytes: number;
}

/** Hit and miss counters the cache reports to (Prometheus in the server). */
export interface CacheCounters {
  hit(): void;
  miss(): void;
}

/** Options of a {@link ResponseCache}. */
export interface ResponseCacheOptions {
  maxEntries?: number;
  /** Serialised size the cache may hold in all (default 64 MiB); larger answers are not kept. */
  maxBytes?: number;
  /** Upper bound on an entry's life, for changes made by other processes (default 5 minutes). */
  ttlMs?: number;
}

/**
 * Answers of queries over finished runs, keyed by role, operation and variables; invalidated per
 * run when the run's data changes. Bounded (least recently used entries go first).
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #byRun = new Map<string, Set<string>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  #bytes = 0;

  constructor(options: ResponseCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 2_000;
    this.#maxBytes = options.maxBytes ?? 64 * 2 ** 20;
    this.#ttlMs = options.ttlMs ?? 300_000;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): ExecutionResult | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt < Date.now()) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.result;
  }

  set(key: string, result: ExecutionResult, runIds: Iterable<string>): void {
    this.#delete(key);
    const json = JSON.stringify(result);
    const bytes = key.length + json.length;
    if (bytes > this.#maxBytes / 16) return;
    // Yoga serialises a result through its own `stringify` when it has one: a hit costs no JSON work.
    const serialised = { ...result, stringify: () => json };
    const entry = { result: serialised, runIds: [...runIds], expiresAt: Date.now() + this.#ttlMs, bytes };
    this.#entries.set(key, entry);
    this.#bytes += bytes;
    for (const runId of entry.runIds) {
      const keys = this.#byRun.get(runId) ?? new Set<string>();
      this.#byRun.set(runId, keys);
      keys.add(key);
    }
    while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      this.#delete(this.#entries.keys().next().value as string);
    }
  }

  /** Drops every answer that read this run. */
  invalidateRun(runId: string): void {
    for (const key of this.#byRun.get(runId) ?? []) this.#delete(key);
    this.#byRun.delete(runId);
  }

  clear(): void {
    this.#entries.clear();
    this.#byRun.clear();
    this.#bytes = 0;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    for (const runId of entry.runIds) {
      const keys = this.#byRun.get(runId);
      keys?.delete(key);
      if (keys?.size === 0) this.#byRun.delete(runId);
    }
  }
}

/** What the cache reads of a request's context, and the scope it adds for resolvers to fill. */
interface CacheContext {
  role?: string | undefined;
  params?: { query?: string; variables?: unknown; operationName?: string | null };
  cacheScope?: CacheScope;
}

/**
 * The envelop plugin: serves cached answers before execution, and stores answers whose
 * {@link CacheScope} says they depend on finished runs only.
 */
export function useResponseCache(cache: ResponseCache, counters: CacheCounters): Plugin<CacheContext> {
  return {
    onExecute({ args, setResultAndStopExecution, extendContext }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const context = args.contextValue;
      const query = context.params?.query;
      if (!query || !context.role) return;
      const key = `${context.role}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${query}`;
      const cached = cache.get(key);
      if (cached) {
        counters.hit();
        setResultAndStopExecution(cached);
        return;
      }
      counters.miss();
      const scope = new CacheScope();
      extendContext({ cacheScope: scope });
      return {
        onExecuteDone({ result }) {
          if (!scope.storable || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          if (single.errors?.length) return;
          cache.set(key, single, scope.runIds);
        },
      };
    },
  };
}
