import { ErrorCode, errorResponse, hasErrorCode } from '@/lib/graphql/codes';
import { isSameOrigin } from '@/server/same-origin';
import { CLEAR_SESSION_COOKIE, sessionFromCookieHeader } from '@/server/session';
import { ApiUnreachableError, postToApi } from '@/server/upstream';

export const dynamic = 'force-dynamic';

/** Largest request body passed on; real dashboard operations are a few kB. */
const MAX_BODY_BYTES = 64 * 1024;

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });

/**
 * GraphQL over HTTP for the browser: passes queries and mutations to the API with the session's
 * key as `Authorization: Bearer`, so the key never reaches the page. A key the API rejects
 * clears the session cookie; the page then returns to sign-in.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isSameOrigin(request))
    return json(errorResponse('Cross-origin requests are not allowed.', ErrorCode.Forbidden), 403);
  const session = sessionFromCookieHeader(request.headers.get('cookie'));
  if (!session) return json(errorResponse('Sign in first.', ErrorCode.Unauthenticated), 401);
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return json(errorResponse('The request is too large.', ErrorCode.BadRequest), 413);

  let upstream: Response;
  try {
    upstream = await postToApi(body, session.key, AbortSignal.any([request.signal, AbortSignal.timeout(30_000)]));
  } catch (error) {
    if (error instanceof ApiUnreachableError) return json(errorResponse(error.message, ErrorCode.ApiUnreachable), 502);
    throw error;
  }
  const text = await upstream.text();
  let rejected = upstream.status === 401;
  try {
    rejected ||= hasErrorCode(JSON.parse(text), ErrorCode.Unauthenticated);
  } catch {
    // Not JSON: passed on as it is.
  }
  return new Response(text, {
    status: upstream.status,
    headers: {
      'content-type': upstream.headers.get('content-type') ?? 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(rejected ? { 'set-cookie': CLEAR_SESSION_COOKIE } : {}),
    },
  });
}
