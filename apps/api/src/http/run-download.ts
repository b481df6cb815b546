import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Authenticator, UnauthenticatedError } from '../auth/caller.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { RunRow } from '../read-model/rows.js';
import { isUuid } from '../read-model/sql.js';

/** What a run's file downloads (VCF, consensus, bedGraph) need from the server. */
export interface RunDownloadOptions {
  /** Who a request's `Authorization` header names: keys and, where configured, OIDC tokens. */
  authenticator: Authenticator;
  /** The read model once the database is ready. */
  reads(): ReadModel | undefined;
  dashboardOrigin: string;
}

/** A download request that passed every check: its run, the read model and the CORS headers to send. */
export interface RunDownload {
  run: RunRow;
  reads: ReadModel;
  cors: Record<string, string>;
}

/** Answers with a JSON body. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/** Why a request may not download, or undefined when its key or token is valid (any role). */
async function authenticationRefusal(
  authenticator: Authenticator,
  authorization: unknown,
): Promise<string | undefined> {
  try {
    if (await authenticator.authenticate(authorization)) return undefined;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.message;
    throw error;
  }
  return 'Authentication required: send "Authorization: Bearer <key>" (viewer key).';
}

/**
 * The checks every run download makes before its body, answering the request itself when one
 * fails: CORS preflight (the dashboard's origin only), GET or HEAD, a valid key of any role, the
 * database ready, and a run of id `runIdPart` (the path's still-encoded part).
 * @returns undefined when the request has been answered.
 */
export async function openRunDownload(
  request: IncomingMessage,
  response: ServerResponse,
  options: RunDownloadOptions,
  runIdPart: string,
): Promise<RunDownload | undefined> {
  const origin = request.headers.origin;
  const cors: Record<string, string> =
    origin === options.dashboardOrigin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  if (request.method === 'OPTIONS') {
    response
      .writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin'] && {
          'access-control-allow-methods': 'GET',
          'access-control-allow-headers': 'authorization',
        }),
      })
      .end();
    return undefined;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: 'Use GET.' }, { allow: 'GET, HEAD', ...cors });
    return undefined;
  }
  const refusal = await authenticationRefusal(options.authenticator, request.headers.authorization);
  if (refusal) {
    sendJson(response, 401, { error: refusal }, { 'www-authenticate': 'Bearer', ...cors });
    return undefined;
  }
  const reads = options.reads();
  if (!reads) {
    sendJson(
      response,
      503,
      { error: 'The database is not ready yet; try again shortly.' },
      { 'retry-after': '2', ...cors },
    );
    return undefined;
  }
  const runId = decodeURIComponent(runIdPart).toLowerCase();
  const [run] = isUuid(runId) ? await reads.runsById([runId]) : [null];
  if (!run) {
    sendJson(response, 404, { error: `No run with id ${runIdPart}.` }, cors);
    return undefined;
  }
  return { run, reads, cors };
}

/** Writes `text`, waiting while the client is slower than the server; false once the client is gone. */
export async function writePaced(response: ServerResponse, text: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (text !== '' && !response.write(text)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
  return !response.destroyed;
}
