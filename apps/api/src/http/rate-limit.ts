import { GraphQLError, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../schema/builder.js';
import { ErrorCode } from '../schema/errors.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets per caller: `capacity` at once, refilled at `perMinute`. Bounded in size. */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly maxCallers = 10_000,
  ) {}

  /** Takes a token for `caller`; when none is left, says how long until one is. */
  take(caller: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const bucket = this.#buckets.get(caller) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.updatedAt) / 60_000) * this.perMinute);
    bucket.updatedAt = now;
    this.#buckets.delete(caller);
    this.#buckets.set(caller, bucket);
    if (this.#buckets.size > this.maxCallers) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil(((1 - bucket.tokens) * 60) / this.perMinute) };
  }
}

/** Refuses mutations beyond the caller's budget with 429 and `RATE_LIMITED`, before they execute. */
export function useMutationRateLimit(buckets: TokenBuckets, perMinute: number): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
      const verdict = buckets.take((args.contextValue as Context).callerId);
      if (verdict.allowed) return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `Too many mutations: at most ${perMinute} a minute. Try again in ${verdict.retryAfterSeconds} s.`,
            {
              extensions: {
                code: ErrorCode.RateLimited,
                http: { status: 429, headers: { 'retry-after': String(verdict.retryAfterSeconds) } },
              },
            },
          ),
        ],
      });
    },
  };
}
