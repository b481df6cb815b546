import { useGraphQlJit } from '@envelop/graphql-jit';
import { type ExecutionArgs, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** How many distinct operations keep their compiled form (the dashboard sends a few dozen). */
const COMPILED_OPERATIONS = 1_000;

/** A bounded map, least recently used first out. */
class CompiledCache<Value> {
  readonly #entries = new Map<string, Value>();

  get(key: string): Value | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Value): void {
    this.#entries.set(key, value);
    if (this.#entries.size > COMPILED_OPERATIONS) this.#entries.delete(this.#entries.keys().next().value as string);
  }
}

/**
 * Executes queries through graphql-jit: each distinct operation is compiled once into a function
 * that resolves and completes its fields without graphql-js's per-field interpretation, which
 * for a page of 50 calls × 10 fields is most of the CPU a request costs. Mutations and
 * subscriptions keep graphql-js's executor (they are few, and subscriptions are shared).
 */
export function useQueryJit(): Plugin {
  return useGraphQlJit(
    {},
    {
      enableIf: (args: ExecutionArgs) => getOperationAST(args.document, args.operationName)?.operation === 'query',
      cache: new CompiledCache(),
    },
  ) as Plugin;
}
