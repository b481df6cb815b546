import { type ExecutionResult, getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { Context } from '../schema/builder.js';

/** What an audit line says a mutation came to. */
export type AuditOutcome = 'succeeded' | 'failed';

const outcomeOf = (result: ExecutionResult): { outcome: AuditOutcome; errorCodes?: string[] } => {
  if (!result.errors?.length) return { outcome: 'succeeded' };
  const errorCodes = [...new Set(result.errors.map((error) => String(error.extensions?.code ?? 'INTERNAL')))];
  return { outcome: 'failed', errorCodes };
};

/**
 * Writes one `audit` log line for every GraphQL mutation, over HTTP and graphql-ws: who (the
 * caller's id and label, never a key or token), role, operation name, the mutation fields asked
 * for and the outcome. Arguments and answers are left out, since they may carry keys. Place it
 * before plugins that refuse mutations (the rate limit), so refusals are audited too.
 */
export function useAuditLog(logger: Logger): Plugin<Context> {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const { caller, callerId, role } = args.contextValue as Context;
      const fields = operation.selectionSet.selections.flatMap((selection) =>
        selection.kind === Kind.FIELD ? [selection.name.value] : [],
      );
      return {
        onExecuteDone({ result }) {
          // A mutation's result is a single answer, never a stream.
          const verdict = outcomeOf(result as ExecutionResult);
          logger.info(
            {
              audit: 'mutation',
              caller: callerId,
              label: caller?.label ?? null,
              role: role ?? 'anonymous',
              operation: operation.name?.value ?? null,
              fields,
              ...verdict,
            },
            `audit: mutation ${fields.join(', ')} ${verdict.outcome}`,
          );
        },
      };
    },
  };
}
