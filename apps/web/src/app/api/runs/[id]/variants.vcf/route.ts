import { env } from '@/server/env';
import { isSameOrigin } from '@/server/same-origin';
import { CLEAR_SESSION_COOKIE, currentSession } from '@/server/session';
import { unreachableMessage } from '@/server/upstream';

export const dynamic = 'force-dynamic';

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

/** Streams a run's VCF from the API (`GET /runs/:id/variants.vcf`) with the session's key. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  if (!isSameOrigin(request)) return text('Cross-origin requests are not allowed.', 403);
  const session = await currentSession();
  if (!session) return text('Sign in first.', 401);
  const { id } = await context.params;
  if (!/^[0-9a-fA-F-]{1,64}$/.test(id)) return text('No such run.', 404);
  let upstream: Response;
  try {
    upstream = await fetch(`${env.apiOrigin}/runs/${id}/variants.vcf`, {
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
        upstream.headers.get('content-disposition') ?? `attachment; filename="helix-run-${id}.vcf"`,
      'cache-control': 'no-store',
    },
  });
}
