'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { checkKey } from '@/server/key-check';
import { encodeSession, SESSION_COOKIE, sessionCookieOptions } from '@/server/session';

/** What the sign-in form shows after an attempt. */
export interface SignInState {
  /** Message at the "API key" field. */
  keyError?: string;
  /** Message about the attempt as a whole (API unreachable). */
  formError?: string;
}

/** Checks the key with the API, keeps it in an httpOnly cookie, and opens the dashboard. */
export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const key = String(form.get('key') ?? '').trim();
  if (!key) return { keyError: 'Enter your API key.' };
  if (/\s/.test(key) || key.length > 512) return { keyError: 'An API key is one word without spaces.' };
  const check = await checkKey(key);
  if (!check.ok) {
    if (check.reason === 'rejected') return { keyError: check.message };
    return { formError: check.message };
  }
  const forwardedProto = (await headers()).get('x-forwarded-proto');
  (await cookies()).set(
    SESSION_COOKIE,
    encodeSession({ key, role: check.role }),
    sessionCookieOptions(forwardedProto === 'https'),
  );
  redirect('/');
}

/** Forgets the key. */
export async function signOut(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect('/sign-in?reason=signed-out');
}
