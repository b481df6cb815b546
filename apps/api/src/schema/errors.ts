import { GraphQLError } from 'graphql';
import type { Role } from '../env.js';
import { builder } from './builder.js';

/** Raised when a caller lacks the role an operation needs; surfaces as a GraphQL error with a code. */
export function requireRole(current: Role | undefined, needed: Role): void {
  if (current === 'operator' || current === needed) return;
  if (current === undefined) {
    throw new GraphQLError('Authentication required: send "Authorization: Bearer <key>".', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  throw new GraphQLError(`This operation needs the ${needed} role; your key grants ${current}.`, {
    extensions: { code: 'FORBIDDEN', http: { status: 403 } },
  });
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

const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every typed error carries a human-readable message.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InvalidInputError,
  fields: (t) => ({ field: t.exposeString('field', { description: 'The input field at fault.' }) }),
});
