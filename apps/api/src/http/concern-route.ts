import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Authenticator, type Caller, UnauthenticatedError } from '../auth/caller.js';
import { ConcernInputError } from '../concern/change.js';
import { ConcernListUnavailableError, type MutationsOfConcern } from '../concern/list.js';
import { ConcernTsvError, formatConcernTsv, parseConcernTsv } from '../concern/tsv.js';
import type { Logger } from '../logger.js';
import { BodyTooLargeError, readBodyWithin } from './body-limit.js';

/** Where the list is read and merged as TSV. */
export const CONCERN_TSV_PATH = '/mutations-of-concern.tsv';

/** What the TSV route needs from the server. */
export interface ConcernRouteOptions {
  /** Who a request's `Authorization` header names: keys and, where configured, OIDC tokens. */
  authenticator: Authenticator;
  concerns: MutationsOfConcern;
  logger: Logger;
  /** The largest TSV body accepted. */
  maxBodyBytes: number;
  dashboardOrigin: string;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/** The caller, or the 401 text when the credential is missing or refused. */
async function callerOf(authenticator: Authenticator, authorization: unknown): Promise<Caller | string> {
  try {
    const caller = await authenticator.authenticate(authorization);
    if (caller) return caller;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.message;
    throw error;
  }
  return 'Authentication required: send "Authorization: Bearer <key>".';
}

/** Reads the TSV body and merges it into the list; answers what changed, or which line is wrong. */
async function mergeTsv(
  request: IncomingMessage,
  response: ServerResponse,
  options: ConcernRouteOptions,
  caller: Caller,
  cors: Record<string, string>,
): Promise<void> {
  let text: string;
  try {
    text = (await readBodyWithin(request, options.maxBodyBytes)).toString('utf8');
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return sendJson(response, 413, { error: error.message }, { connection: 'close', ...cors });
  }
  let outcome: Awaited<ReturnType<MutationsOfConcern['merge']>>;
  try {
    outcome = await options.concerns.merge(parseConcernTsv(text));
  } catch (error) {
    if (error instanceof ConcernTsvError) {
      return sendJson(response, 400, { error: error.message, line: error.line, field: error.field ?? null }, cors);
    }
    if (error instanceof ConcernInputError)
      return sendJson(response, 400, { error: error.message, field: error.field }, cors);
    throw error;
  }
  options.logger.info(
    { audit: 'mutationsOfConcern', action: 'imported', by: caller.id, byLabel: caller.label, ...outcome },
    'audit: mutations of concern imported',
  );
  sendJson(response, 200, outcome, cors);
}

/**
 * `GET /mutations-of-concern.tsv` (viewer key): the list as TSV. `PUT` or `POST` (operator key)
 * with a TSV body: adds the entries not listed yet and sets the labels of those that are (nothing
 * is removed); a line that cannot be read refuses the whole file with 400, naming the line.
 * @returns false when the path is not this route's.
 */
export async function serveConcernTsv(
  request: IncomingMessage,
  response: ServerResponse,
  options: ConcernRouteOptions,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== CONCERN_TSV_PATH) return false;
  const origin = request.headers.origin;
  const cors: Record<string, string> =
    origin === options.dashboardOrigin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  const methods = 'GET, HEAD, PUT, POST';
  if (request.method === 'OPTIONS') {
    response
      .writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin'] && {
          'access-control-allow-methods': methods,
          'access-control-allow-headers': 'authorization, content-type',
        }),
      })
      .end();
    return true;
  }
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (!reading && request.method !== 'PUT' && request.method !== 'POST') {
    sendJson(
      response,
      405,
      { error: 'Use GET to read the list, PUT or POST to merge a TSV into it.' },
      {
        allow: methods,
        ...cors,
      },
    );
    return true;
  }
  const caller = await callerOf(options.authenticator, request.headers.authorization);
  if (typeof caller === 'string') {
    sendJson(response, 401, { error: caller }, { 'www-authenticate': 'Bearer', ...cors });
    return true;
  }
  if (!reading && caller.role !== 'operator') {
    sendJson(
      response,
      403,
      { error: `Changing the list needs the operator role; your key grants ${caller.role}.` },
      cors,
    );
    return true;
  }
  try {
    if (!reading) {
      await mergeTsv(request, response, options, caller, cors);
      return true;
    }
    const text = formatConcernTsv(await options.concerns.list());
    response.writeHead(200, {
      'content-type': 'text/tab-separated-values; charset=utf-8',
      'content-disposition': 'attachment; filename="mutations-of-concern.tsv"',
      'cache-control': 'no-store',
      ...cors,
    });
    response.end(request.method === 'HEAD' ? undefined : text);
  } catch (error) {
    if (!(error instanceof ConcernListUnavailableError)) throw error;
    sendJson(response, 503, { error: error.message }, { 'retry-after': '2', ...cors });
  }
  return true;
}
