import 'server-only';
import type { TypedDocumentNode } from '@urql/core';
import { print } from 'graphql';
import { ErrorCode, errorResponse, type GraphQLResponseJson, hasErrorCode } from '@/lib/graphql/codes';
import { createSseParser } from '@/lib/sse-parser';
import { env } from './env';

/** A GraphQL request as clients send it. */
export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** The API did not answer at all (refused, reset, timed out). */
export class ApiUnreachableError extends Error {
  override name = 'ApiUnreachableError';
}

/** The message shown when the API cannot be reached; names where the dashboard looks for it. */
export const unreachableMessage = () => `The Helix API at ${env.graphqlUrl} is not reachable.`;

/** Sends one GraphQL-over-HTTP request to the API with the key as a bearer token. */
export async function postToApi(body: string, key: string, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(env.graphqlUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body,
      signal: signal ?? AbortSignal.timeout(30_000),
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiUnreachableError(unreachableMessage(), { cause: error });
  }
}

/** Runs a query or mutation against the API (server components and actions). */
export async function apiRequest<Data, Variables extends Record<string, unknown>>(
  key: string,
  document: TypedDocumentNode<Data, Variables>,
  variables?: Variables,
): Promise<GraphQLResponseJson<Data>> {
  const response = await postToApi(JSON.stringify({ query: print(document), variables }), key);
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponseJson<Data>;
  } catch {
    if (response.status === 401) return errorResponse('The API key was not accepted.', ErrorCode.Unauthenticated);
    return errorResponse(`The API answered ${response.status} ${response.statusText}.`, ErrorCode.BadResponse);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** ": <the API's first error message>", when its answer has one. */
function apiMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as GraphQLResponseJson).errors?.[0]?.message;
    return message ? `: ${message}` : '';
  } catch {
    return '';
  }
}

/** Backoff between attempts to reach the API again: 0.5 s doubling to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 500 * 2 ** attempt);
}

/**
 * Subscribes to the API over SSE (graphql-sse "distinct connections" mode, which Yoga serves)
 * and yields its results. While the API cannot be reached it yields one API_UNREACHABLE error
 * result per attempt and keeps trying, so the browser's operation stays open and resumes by
 * itself. A rejected key yields one UNAUTHENTICATED result and ends.
 */
export async function* subscribeUpstream(
  request: GraphQLRequestBody,
  key: string,
  signal: AbortSignal,
): AsyncGenerator<GraphQLResponseJson> {
  const body = JSON.stringify({
    query: request.query,
    variables: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
  });
  for (let attempt = 0; !signal.aborted; ) {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal.addEventListener('abort', abort, { once: true });
    try {
      let response: Response | undefined;
      try {
        response = await fetch(env.graphqlUrl, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            accept: 'text/event-stream',
          },
          body,
          signal: controller.signal,
          cache: 'no-store',
        });
      } catch {
        if (signal.aborted) return;
      }
      if (response) {
        const type = response.headers.get('content-type') ?? '';
        if (response.status === 401) {
          yield errorResponse('The API key was not accepted.', ErrorCode.Unauthenticated);
          return;
        }
        if (!type.includes('text/event-stream')) {
          const text = await response.text();
          if (response.status >= 500 || response.status === 429) {
            // Starting up (database not ready), overloaded or restarting: try again later.
            const delay = retryDelayMs(attempt++);
            yield errorResponse(
              `The Helix API is not ready (${response.status}${apiMessage(text)}). Retrying in ${seconds(delay)} s.`,
              ErrorCode.ApiUnreachable,
              { retryInMs: delay, status: response.status },
            );
            await sleep(delay, signal);
            continue;
          }
          // A single JSON answer: validation errors and the like. Pass it on and end.
          try {
            yield JSON.parse(text) as GraphQLResponseJson;
          } catch {
            yield errorResponse(`The API answered ${response.status} ${response.statusText}.`, ErrorCode.BadResponse);
          }
          return;
        }
        const parse = createSseParser();
        const decoder = new TextDecoder();
        let received = false;
        let notReady = false;
        try {
          stream: for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            for (const event of parse(decoder.decode(chunk, { stream: true }))) {
              if (event.event === 'complete') return;
              if (event.event !== 'next') continue;
              const result = JSON.parse(event.data) as GraphQLResponseJson;
              if (!result.data && hasErrorCode(result, ErrorCode.ServiceUnavailable)) {
                // The API is up but its database is not: the operation ends there; start it again later.
                notReady = true;
                yield {
                  ...result,
                  errors: result.errors?.map((error) => ({
                    ...error,
                    extensions: { ...error.extensions, code: ErrorCode.ApiUnreachable },
                  })),
                };
                break stream;
              }
              received = true;
              attempt = 0;
              yield result;
              if (hasErrorCode(result, ErrorCode.Unauthenticated)) return;
            }
          }
        } catch {
          if (signal.aborted) return;
        }
        if (notReady) {
          await sleep(retryDelayMs(attempt++), signal);
          continue;
        }
        // The stream ended without "complete": the API went away. Try again at once if it had
        // been streaming; otherwise back off.
        if (received) continue;
      }
      if (signal.aborted) return;
      const delay = retryDelayMs(attempt++);
      yield errorResponse(
        `${unreachableMessage()} Retrying in ${Math.round(delay / 100) / 10} s.`,
        ErrorCode.ApiUnreachable,
        {
          retryInMs: delay,
        },
      );
      await sleep(delay, signal);
    } finally {
      signal.removeEventListener('abort', abort);
      controller.abort();
    }
  }
}
