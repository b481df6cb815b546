/** Error codes the dashboard recognises in `errors[].extensions.code`. */
export const ErrorCode = {
  /** No key, a wrong key, or a key the API no longer accepts: back to sign-in. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The key is valid but its role may not do this (a viewer pressing an operator control). */
  Forbidden: 'FORBIDDEN',
  /** The dashboard server could not reach the API; it keeps retrying. */
  ApiUnreachable: 'API_UNREACHABLE',
  BadUserInput: 'BAD_USER_INPUT',
  /** The API answers but is not ready (database still connecting). */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

/** A GraphQL error as it travels in JSON. */
export interface GraphQLErrorJson {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL response as it travels in JSON. */
export interface GraphQLResponseJson<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: GraphQLErrorJson[];
  extensions?: Record<string, unknown>;
}

/** Codes that mean "the API cannot serve now; asking again later will work". */
export const TRANSIENT_CODES: readonly string[] = [ErrorCode.ApiUnreachable, ErrorCode.ServiceUnavailable];

/** True when any error of a response carries `code`. */
export function hasErrorCode(response: { errors?: readonly GraphQLErrorJson[] | undefined } | null, code: string) {
  return response?.errors?.some((error) => error.extensions?.code === code) ?? false;
}

/** An errors-only response with one coded error. */
export function errorResponse(message: string, code: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] } satisfies GraphQLResponseJson;
}
