import 'server-only';

/**
 * Defence in depth beside the SameSite=Strict cookie: a browser always sends `Origin` on
 * cross-origin requests, so a request whose Origin differs from the Host it reached did not come
 * from the dashboard's own pages.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** True when the dashboard is served over https (directly or behind a proxy). */
export function isHttps(request: Request): boolean {
  return (request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '')) === 'https';
}
