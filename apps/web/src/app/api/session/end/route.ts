import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/server/session';

export const dynamic = 'force-dynamic';

/**
 * Ends the session and returns to sign-in, saying why. Server components land here when the API
 * rejects the key; the browser when a proxied request comes back UNAUTHENTICATED.
 */
export async function GET(request: Request): Promise<Response> {
  const reason = new URL(request.url).searchParams.get('reason') === 'expired' ? 'expired' : 'signed-out';
  const response = NextResponse.redirect(new URL(`/sign-in?reason=${reason}`, request.url), 303);
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
