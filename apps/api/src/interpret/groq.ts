/**
 * The model interpreter: one chat-completions request through the official `groq-sdk` per batch
 * of variants, JSON mode, the answer validated with zod. Retries (429 and 5xx, honouring
 * `retry-after`, exponential backoff with jitter) and the per-request timeout are the SDK's own.
 */
import Groq, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  PermissionDeniedError,
} from 'groq-sdk';
import type { Logger } from '../logger.js';
import {
  buildMessages,
  estimateTokens,
  InvalidModelAnswerError,
  type ParsedAnswer,
  type PromptVariant,
  parseAnswer,
} from './prompt.js';

/** How to reach the model (from `config.groq`) and how patiently. */
export interface GroqInterpreterOptions {
  apiKey: string;
  /** Default: Groq's API (`https://api.groq.com`). */
  baseUrl?: string | undefined;
  model: string;
  /** Per HTTP attempt, as the SDK's `timeout` (default 20 s). */
  timeoutMs?: number;
  /** Retries of the SDK on 408/409/429/5xx, timeouts and connection errors (default 2). */
  maxRetries?: number;
  /**
   * Longest a whole call may take, retries and their waits included (default: every attempt
   * timing out plus 30 s of backoff). A `retry-after` of an hour does not hold the queue an hour.
   */
  deadlineMs?: number;
  /** Completion tokens allowed per variant of a batch (default 120). */
  completionTokensPerVariant?: number;
  logger?: Logger;
  /** Told of every 429 with the wait the server asked for, so the client rate limit can hold back too. */
  onRateLimited?: (retryAfterMs: number) => void;
}

/** Why a request failed, as the queue and the breaker treat it. */
export type ModelFailureKind =
  /** The key is missing, wrong or lacks permission: retrying cannot help. */
  | 'auth'
  /** No answer within the timeout (after the SDK's retries). */
  | 'timeout'
  /** 429 after the SDK's retries. */
  | 'rate-limit'
  /** 5xx after the SDK's retries. */
  | 'server'
  /** The server could not be reached. */
  | 'connection'
  /** The request was refused as such (404 unknown model, other 4xx). */
  | 'request'
  /** Stopped by Helix (shutdown). */
  | 'aborted';

/** What became of one request. */
export type ModelCallOutcome =
  | { kind: 'answered'; answer: ParsedAnswer; latencyMs: number; tokens: number | undefined }
  | { kind: 'invalid'; reason: string; latencyMs: number; tokens: number | undefined }
  | { kind: 'failed'; failure: ModelFailureKind; reason: string; status: number | undefined; latencyMs: number };

/** The error body Groq sends: `{ "error": { "message", "type", "code" } }`. */
function errorCode(error: APIError): string | undefined {
  const body = error.error as { code?: unknown; error?: { code?: unknown } } | undefined;
  const code = body?.error?.code ?? body?.code;
  return typeof code === 'string' ? code : undefined;
}

function failureKind(error: unknown): ModelFailureKind {
  if (error instanceof APIUserAbortError) return 'aborted';
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) return 'auth';
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof APIError) {
    if (error.status === 429) return 'rate-limit';
    if (error.status !== undefined && error.status >= 500) return 'server';
    if (error.status === 408) return 'timeout';
  }
  return 'request';
}

/** Milliseconds a 429's `retry-after-ms` / `retry-after` (seconds or HTTP date) asks for. */
export function retryAfterMs(headers: Headers): number | undefined {
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return milliseconds;
  const header = headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return seconds * 1_000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Interprets batches of variants with a model served by Groq's chat-completions API. */
export class GroqInterpreter {
  /** The model's name, stored as the interpretation's `source`. */
  readonly model: string;
  readonly #client: Groq;
  readonly #deadlineMs: number;
  readonly #completionTokensPerVariant: number;
  #httpAttempts = 0;

  constructor(options: GroqInterpreterOptions) {
    this.model = options.model;
    const timeout = Math.max(1, Math.round(options.timeoutMs ?? 20_000));
    const maxRetries = options.maxRetries ?? 2;
    this.#deadlineMs = options.deadlineMs ?? timeout * (maxRetries + 1) + 30_000;
    this.#completionTokensPerVariant = options.completionTokensPerVariant ?? 120;
    const log = options.logger;
    const onRateLimited = options.onRateLimited;
    this.#client = new Groq({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? 'https://api.groq.com',
      timeout,
      maxRetries,
      // Every HTTP attempt passes here: counted, and a 429's wait shared with the rate limiter.
      fetch: async (input, init) => {
        this.#httpAttempts += 1;
        const response = await fetch(input, init);
        if (response.status === 429 && onRateLimited) onRateLimited(retryAfterMs(response.headers) ?? 1_000);
        return response;
      },
      // The SDK's own lines (retries, give-ups) one level down in ours; never its request details.
      logLevel: 'debug',
      logger: {
        error: (message: string) => log?.warn({ component: 'groq-sdk' }, message),
        warn: (message: string) => log?.warn({ component: 'groq-sdk' }, message),
        info: (message: string) => log?.debug({ component: 'groq-sdk' }, message),
        debug: (message: string) => log?.trace({ component: 'groq-sdk' }, message),
      },
    });
  }

  /** HTTP attempts made so far, retries included. */
  get httpAttempts(): number {
    return this.#httpAttempts;
  }

  /** Completion tokens a batch of `size` variants may use. */
  completionTokens(size: number): number {
    return 60 + size * this.#completionTokensPerVariant;
  }

  /** Tokens a request for `batch` is expected to use (prompt plus the completion allowance). */
  estimateTokens(batch: PromptVariant[]): number {
    const prompt = buildMessages(batch).reduce((sum, message) => sum + estimateTokens(message.content) + 4, 0);
    return prompt + this.completionTokens(batch.length);
  }

  /**
   * Asks the model to interpret `batch` in one request. Never throws: the outcome says whether the
   * answer was usable, invalid (not JSON, wrong shape, Groq's `json_validate_failed`), or the
   * request failed and why.
   */
  async interpret(batch: PromptVariant[], signal?: AbortSignal): Promise<ModelCallOutcome> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    let deadline: NodeJS.Timeout | undefined;
    try {
      const request = this.#client.chat.completions.create(
        {
          model: this.model,
          messages: buildMessages(batch),
          response_format: { type: 'json_object' },
          temperature: 0.2,
          max_completion_tokens: this.completionTokens(batch.length),
        },
        { signal: controller.signal },
      );
      const timedOut = new Promise<never>((_, reject) => {
        deadline = setTimeout(() => {
          controller.abort();
          reject(
            new APIConnectionTimeoutError({ message: `no answer within ${this.#deadlineMs} ms, retries included` }),
          );
        }, this.#deadlineMs);
      });
      // The SDK sleeps through a retry-after without looking at the signal; do not wait for it.
      request.catch(() => undefined);
      const completion = await Promise.race([request, timedOut]);
      const tokens = completion.usage?.total_tokens;
      try {
        return {
          kind: 'answered',
          answer: parseAnswer(completion.choices[0]?.message.content, batch.length),
          latencyMs: latency(),
          tokens,
        };
      } catch (error) {
        if (error instanceof InvalidModelAnswerError)
          return { kind: 'invalid', reason: error.message, latencyMs: latency(), tokens };
        throw error;
      }
    } catch (error) {
      if (error instanceof BadRequestError && errorCode(error) === 'json_validate_failed') {
        return {
          kind: 'invalid',
          reason: 'the model did not produce valid JSON (json_validate_failed)',
          latencyMs: latency(),
          tokens: undefined,
        };
      }
      const failure = signal?.aborted ? 'aborted' : failureKind(error);
      return {
        kind: 'failed',
        failure,
        reason: (error as Error).message,
        status: error instanceof APIError ? error.status : undefined,
        latencyMs: latency(),
      };
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', abort);
    }
  }
}
