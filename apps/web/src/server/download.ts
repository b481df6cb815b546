import 'server-only';
import { env } from './env';
import { isSameOrigin } from './same-origin';
import { CLEAR_SESSION_COOKIE, currentSession } from './session';
import { unreachableMessage } from './upstream';

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

/** A file the API serves that the dashboard hands on as a download. */
export interface Download {
  /** The API's path, e.g. `/runs/…/variants.vcf`. */
  path: string;
  /** The file name offered when the API names none. */
  filename: string;
}

/**
 * Streams a file from the API with the session's key: same-origin and signed-in only; a key the
 * API no longer accepts ends the session.
 */
export async function proxyDownload(request: Request, download: Download): Promise<Response> {
  if (!isSameOrigin(request)) return text('Cross-origin requests are not allowed.', 403);
  const session = await currentSession();
  if (!session) return text('Sign in first.', 401);
  let upstream: Response;
  try {
    upstream = await fetch(`${env.apiOrigin}${download.path}`, {
      headers: { authorization: `Bearer ${session.key}` },
      signal: request.signal,
      cache: 'no-store',
    });
  } catch {
    return text(unreachableMessage(), 502);
  }
  if (upstream.status === 401)
    return text('The API key was not accepted.', 401, { 'set-cookie': CLEAR_SESSION_COOKIE });
  if (!upstream.ok || !upstream.body) return text(await upstream.text(), upstream.status);
  return new Response(upstream.body, {
    status: 200,
    headers: {
      'content-type': upstream.headers.get('content-type') ?? 'text/plain; charset=utf-8',
      'content-disposition':
        upstream.headers.get('content-disposition') ?? `attachment; filename="${download.filename}"`,
      'cache-control': 'no-store',
    },
  });
}
