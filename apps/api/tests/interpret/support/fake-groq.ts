/**
 * A local stand-in for Groq's chat-completions API (`POST /openai/v1/chat/completions`, the path
 * `groq-sdk` appends to its base URL), on loopback, answering from a script. The real `groq-sdk`
 * client talks to it over HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply. `delayMs` holds it back first. */
export type ScriptedReply = { delayMs?: number } & (
  | /** A valid JSON answer for every variant of the request. */ { kind: 'valid' }
  | /** A valid answer for only the first `count` variants. */ { kind: 'partial'; count: number }
  | /** HTTP 200 with this assistant message content (prose, wrong JSON...). */ { kind: 'content'; content: string }
  | /** An error status with Groq's error body and optional headers. */ {
      kind: 'status';
      status: number;
      code?: string;
      headers?: Record<string, string>;
    }
  | /** Never answers: the client's timeout must end it. */ { kind: 'hang' }
);

/** A request as the server saw it. */
export interface RecordedRequest {
  at: number;
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string };
    max_completion_tokens?: number;
  };
  /** Variant ids (`v1`, `v2`...) the request asked about. */
  ids: string[];
}

/** The running fake. */
export interface FakeGroq {
  /** What to give the SDK as `baseURL` (GROQ_BASE_URL). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Replies to use, in order, before falling back to `fallback`. */
  script(...replies: ScriptedReply[]): void;
  /** The reply when the script is empty (default: valid). */
  fallback: ScriptedReply;
  /** Answers only once this resolves (a gate the test opens). */
  holdUntil: Promise<void> | undefined;
  /** Resolves when `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${Math.random().toString(36).slice(2)}`,
    ...headers,
  });
  response.end(text);
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1_000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 200, completion_tokens: 100, total_tokens: 300 },
  };
}

/** The model's answer for `ids`, as a well-behaved model gives it. */
export function validAnswer(ids: string[]): string {
  return JSON.stringify({
    interpretations: ids.map((id) => ({
      id,
      summary: `Model interpretation of ${id}: a plausible germline variant.`,
      significance: 'uncertain',
    })),
  });
}

/**
 * Starts the fake on 127.0.0.1 (a free port). With `apiKey`, requests without
 * `Authorization: Bearer <apiKey>` get Groq's 401.
 */
export async function startFakeGroq(options: { apiKey?: string } = {}): Promise<FakeGroq> {
  const replies: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const fake: FakeGroq = {
    baseUrl: '',
    requests,
    script: (...next) => replies.push(...next),
    fallback: { kind: 'valid' },
    holdUntil: undefined,
    waitForRequests(count, timeoutMs = 20_000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake Groq: ${requests.length} of ${count} requests after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/openai/v1/chat/completions') {
      sendJson(response, 404, {
        error: {
          message: `Unknown request URL: ${request.method} ${request.url}`,
          type: 'invalid_request_error',
          code: 'unknown_url',
        },
      });
      return;
    }
    const body = JSON.parse(await readBody(request)) as RecordedRequest['body'];
    const user = body.messages.find((message) => message.role === 'user')?.content ?? '';
    const ids = [...user.matchAll(/^(v\d+):/gm)].map((match) => match[1] as string);
    requests.push({ at: Date.now(), path: request.url, authorization: request.headers.authorization, body, ids });
    for (const waiter of waiters.filter((candidate) => requests.length >= candidate.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(response, 401, {
        error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
      return;
    }
    const reply = replies.shift() ?? fake.fallback;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (fake.holdUntil) await fake.holdUntil;
    if (response.destroyed) return;
    switch (reply.kind) {
      case 'valid':
        sendJson(response, 200, completion(body.model, validAnswer(ids)));
        return;
      case 'partial':
        sendJson(response, 200, completion(body.model, validAnswer(ids.slice(0, reply.count))));
        return;
      case 'content':
        sendJson(response, 200, completion(body.model, reply.content));
        return;
      case 'status':
        sendJson(
          response,
          reply.status,
          { error: { message: `scripted ${reply.status}`, type: 'api_error', code: reply.code ?? null } },
          reply.headers,
        );
        return;
      case 'hang':
        // Leave the request open; the client gives up on its own.
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
