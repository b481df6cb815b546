import 'server-only';
import { ErrorCode, type GraphQLResponseJson, hasErrorCode } from '@/lib/graphql/codes';
import type { ResultOf } from '@/lib/graphql/graphql';
import { MeQuery } from '@/lib/graphql/operations';
import type { Role } from './session';
import { ApiUnreachableError, apiRequest } from './upstream';

/** What signing in with a key found out. */
export type KeyCheck =
  | { ok: true; role: Role }
  | { ok: false; reason: 'rejected' | 'unreachable' | 'unexpected'; message: string };

/** Asks the API who a key belongs to (`me { role }`): the role it grants, or why it cannot be used. */
export async function checkKey(key: string): Promise<KeyCheck> {
  let response: GraphQLResponseJson<ResultOf<typeof MeQuery>>;
  try {
    response = await apiRequest(key, MeQuery);
  } catch (error) {
    if (error instanceof ApiUnreachableError) return { ok: false, reason: 'unreachable', message: error.message };
    throw error;
  }
  if (hasErrorCode(response, ErrorCode.Unauthenticated)) {
    return { ok: false, reason: 'rejected', message: 'That API key was not accepted. Check it and try again.' };
  }
  const role = response.data?.me.role;
  if (role === 'OPERATOR') return { ok: true, role: 'operator' };
  if (role === 'VIEWER') return { ok: true, role: 'viewer' };
  const message = response.errors?.[0]?.message ?? 'The API gave an unexpected answer.';
  return { ok: false, reason: 'unexpected', message };
}
