'use client';

import { useActionState } from 'react';
import { type SignInState, signIn } from './actions';

/** The sign-in form: one "API key" field; messages appear at the field. */
export function SignInForm() {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, {});
  return (
    <form action={action} className="form" noValidate>
      <div className="field">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          name="key"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          required
          aria-invalid={state.keyError ? true : undefined}
          aria-describedby={state.keyError ? 'api-key-error' : 'api-key-hint'}
        />
        {state.keyError ? (
          <p id="api-key-error" className="field-error" role="alert">
            {state.keyError}
          </p>
        ) : (
          <p id="api-key-hint" className="field-hint">
            The key stays on the dashboard server in an httpOnly cookie; this page never sees it again.
          </p>
        )}
      </div>
      {state.formError ? (
        <p className="notice notice-error" role="alert">
          {state.formError}
        </p>
      ) : null}
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
