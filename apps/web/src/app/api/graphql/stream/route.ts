import { ErrorCode, errorResponse } from '@/lib/graphql/codes';
import { isSameOrigin } from '@/server/same-origin';
import { streamHandler } from '@/server/stream-handler';

export const dynamic = 'force-dynamic';

/** Subscriptions for the browser over one event stream per tab; see `streamHandler`. */
async function handle(request: Request): Promise<Response> {
  if (!isSameOrigin(request)) {
    return Response.json(errorResponse('Cross-origin requests are not allowed.', ErrorCode.Forbidden), { status: 403 });
  }
  const response = await streamHandler(request);
  // No proxy or compressor may buffer the event stream.
  response.headers.set('cache-control', 'no-cache, no-transform');
  response.headers.set('x-accel-buffering', 'no');
  return response;
}

export { handle as DELETE, handle as GET, handle as POST, handle as PUT };
