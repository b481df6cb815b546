import { GraphQLError } from 'graphql';
import type { StoredApiKey } from '../auth/api-key-store.js';
import type { Caller } from '../auth/caller.js';
import { ApiKeyInputError, ApiKeyNotFoundError, MAX_KEY_LABEL_LENGTH } from '../auth/key-administration.js';
import { builder } from './builder.js';
import { badUserInput, ErrorCode, requireRole } from './errors.js';
import { Role } from './me.js';

const ApiKey = builder.objectRef<StoredApiKey>('ApiKey').implement({
  description: 'A key created at run time. The key itself is shown once, at creation; only its hash is stored.',
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.field({ type: Role, resolve: (key) => key.role }),
    label: t.exposeString('label', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Null for a key that does not expire.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the key was last used, to the minute (it is recorded at most once a minute).',
    }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: string; apiKey: StoredApiKey }>('CreatedApiKey').implement({
  description: 'A new key and what is stored about it.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'The key, shown this once: send it as "Authorization: Bearer <key>". It cannot be read again.',
    }),
    apiKey: t.field({ type: ApiKey, resolve: (created) => created.apiKey }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    role: t.field({ type: Role, required: true }),
    label: t.string({ required: false, description: `At most ${MAX_KEY_LABEL_LENGTH} characters.` }),
    expiresAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'In the future; null for a key that does not expire.',
    }),
  }),
});

/** The caller of an operator-only field, once requireRole has let it through. */
const operator = (context: { role: Caller['role'] | undefined; caller: Caller | undefined }): Caller => {
  requireRole(context.role, 'operator');
  return context.caller as Caller;
};

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKey],
    description: 'Every key created at run time, revoked ones included, newest first (operators).',
    resolve: (_root, _args, context) => {
      operator(context);
      context.cacheScope?.uncacheable();
      return context.keys.list();
    },
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description:
      'Creates a key (operators). Refused input is a BAD_USER_INPUT error whose `field` names the input field.',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const by = operator(context);
      try {
        return await context.keys.create(
          { role: input.role, label: input.label ?? null, expiresAt: input.expiresAt ?? null },
          by,
        );
      } catch (error) {
        if (error instanceof ApiKeyInputError) throw badUserInput(error.message, error.field);
        throw error;
      }
    },
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description:
      'Revokes a key (operators): refused over HTTP at once, its open subscriptions closed. An unknown id is a NOT_FOUND error.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const by = operator(context);
      try {
        return await context.keys.revoke(String(id), by);
      } catch (error) {
        if (error instanceof ApiKeyNotFoundError) {
          throw new GraphQLError(error.message, { extensions: { code: ErrorCode.NotFound, field: 'id' } });
        }
        throw error;
      }
    },
  }),
}));
