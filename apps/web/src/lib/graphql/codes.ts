/**
 * Every code in `errors[].extensions.code` the dashboard sends or recognises: the API's own (its
 * `ErrorCode` in apps/api/src/schema/errors.ts) and the ones the dashboard's server routes add.
 * Server routes and components both name codes only through this object.
 */
export const ErrorCode = {
  /** No key, a wrong key, or a key the API no longer accepts: back to sign-in. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The key is valid but its role may not do this (a viewer pressing an operator control). */
  Forbidden: 'FORBIDDEN',
  /** An argument the API refused; `extensions.field` names it. */
  BadUserInput: 'BAD_USER_INPUT',
  PipelineNotRunning: 'PIPELINE_NOT_RUNNING',
  RateLimited: 'RATE_LIMITED',
  /** The API answers but is not ready (database still connecting). */
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  /** Dashboard only: its server could not reach the API; it keeps retrying. */
  ApiUnreachable: 'API_UNREACHABLE',
  /** Dashboard only: a request its server refuses to pass on (too large). */
  BadRequest: 'BAD_REQUEST',
  /** Dashboard only: the API answered something that is not GraphQL. */
  BadResponse: 'BAD_RESPONSE',
} as const;

/** One of the codes of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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

/** An error as both JSON responses and urql's `CombinedError.graphQLErrors` carry it. */
interface CodedError {
  readonly extensions?: { readonly [key: string]: unknown } | undefined;
}

/** The first error that carries `code`, if any. */
export function findErrorCode<Error extends CodedError>(
  errors: readonly Error[] | undefined,
  code: ErrorCode,
): Error | undefined {
  return errors?.find((error) => error.extensions?.code === code);
}

/** True when any error of a response carries `code`. */
export function hasErrorCode(
  response: { errors?: readonly GraphQLErrorJson[] | undefined } | null,
  code: ErrorCode,
): boolean {
  return findErrorCode(response?.errors, code) !== undefined;
}

/** An errors-only response with one coded error. */
export function errorResponse(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extensions } }] } satisfies GraphQLResponseJson;
}
