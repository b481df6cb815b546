import { GraphQLError } from 'graphql';
import type { Role } from '../env.js';
import { PipelineAlreadyRunningError, PipelineNotRunningError } from '../pipeline/pipeline.js';
import { builder } from './builder.js';

/** Error codes clients can rely on in `errors[].extensions.code`. */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BadUserInput: 'BAD_USER_INPUT',
  PipelineNotRunning: 'PIPELINE_NOT_RUNNING',
  RateLimited: 'RATE_LIMITED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  NotFound: 'NOT_FOUND',
} as const;

/** Raised when a caller lacks the role an operation needs; surfaces as a GraphQL error with a code. */
export function requireRole(current: Role | undefined, needed: Role): void {
  if (current === 'operator' || current === needed) return;
  if (current === undefined) {
    throw new GraphQLError('Authentication required: send "Authorization: Bearer <key>".', {
      extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } },
    });
  }
  throw new GraphQLError(`This operation needs the ${needed} role; your key grants ${current}.`, {
    extensions: { code: ErrorCode.Forbidden, http: { status: 403 } },
  });
}

/** A GraphQL error for bad arguments outside a typed-error union; `field` names the argument. */
export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, field } });
}

/** Input that fails validation; the message names the field. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The interface every typed error implements. */
export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every typed error carries a human-readable message.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'The input was rejected; `field` names the input field at fault.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({ field: t.exposeString('field', { description: 'The input field at fault.' }) }),
});

builder.objectType(PipelineAlreadyRunningError, {
  name: 'PipelineAlreadyRunningError',
  description: 'A run is already going on; stop it first.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PipelineAlreadyRunningError,
});

builder.objectType(PipelineNotRunningError, {
  name: 'PipelineNotRunningError',
  description: 'No run is going on.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof PipelineNotRunningError,
});
