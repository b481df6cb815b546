import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Histogram } from 'prom-client';

/**
 * Observes every GraphQL-over-HTTP request in a histogram labelled by operation type (query,
 * mutation, subscription; "rejected" when it never reached execution) and status code.
 */
export function useRequestDuration(histogram: Histogram<'operation_type' | 'status'>): Plugin {
  const started = new WeakMap<Request, { at: number; type: string }>();
  const typeOf = (context: unknown, type: string | undefined) => {
    const request = (context as { request?: Request }).request;
    const entry = request && started.get(request);
    if (entry && type) entry.type = type;
  };
  return {
    onRequestParse({ request }) {
      started.set(request, { at: performance.now(), type: 'rejected' });
    },
    onExecute({ args }) {
      typeOf(args.contextValue, getOperationAST(args.document, args.operationName)?.operation);
    },
    onSubscribe({ args }) {
      typeOf(args.contextValue, 'subscription');
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (!entry) return;
      started.delete(request);
      histogram.observe(
        { operation_type: entry.type, status: String(response.status) },
        (performance.now() - entry.at) / 1_000,
      );
    },
  };
}
