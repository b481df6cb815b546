import type { Caller as AuthenticatedCaller } from '../auth/caller.js';
import { builder } from './builder.js';
import { requireRole } from './errors.js';

/** The caller as `me` describes it: the role its credential grants, and its label if it has one. */
type Caller = Pick<AuthenticatedCaller, 'role' | 'label'>;

/** The GraphQL `Role` enum. */
export const Role = builder.enumType('Role', {
  description: 'What a key lets its holder do: operators change the pipeline, viewers read and watch.',
  values: { OPERATOR: { value: 'operator' }, VIEWER: { value: 'viewer' } } as const,
});

const CallerRef = builder.objectRef<Caller>('Caller').implement({
  description: 'The key or single-sign-on token a request was made with.',
  fields: (t) => ({
    role: t.field({ type: Role, resolve: (caller) => caller.role }),
    label: t.exposeString('label', {
      nullable: true,
      description:
        "The name given to the key, or a token's name (else its subject); null for keys that have none (HELIX_API_KEYS, the generated one).",
    }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: CallerRef,
    description: 'Who is calling: the role and label of the key or token sent. Refused (UNAUTHENTICATED) without one.',
    resolve: (_root, _args, { role, caller }): Caller => {
      requireRole(role, 'viewer');
      // requireRole has thrown for a request without a credential, so the caller is known.
      const { label } = caller as AuthenticatedCaller;
      return { role: role as AuthenticatedCaller['role'], label };
    },
  }),
}));
