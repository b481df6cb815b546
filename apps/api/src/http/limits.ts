import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Bounds on what one request may ask for. */
export interface ApiLimits {
  /** Deepest selection nesting (the deepest operation of API.md needs 5). */
  maxDepth: number;
  /** Aliased fields per operation. */
  maxAliases: number;
  /** Lexical tokens per document (checked while parsing, before any other work). */
  maxTokens: number;
  /**
   * graphql-armor's cost: objects 2, scalars 1, times 1.5 per level of depth. The combined
   * analyses + variants + stats query of API.md costs 8,444.
   */
  maxCost: number;
  maxDirectives: number;
  /** Largest HTTP request body. */
  maxBodyBytes: number;
  /** Mutations a caller may send in a burst, and how many per minute it regains. */
  mutationBurst: number;
  mutationsPerMinute: number;
}

/** The limits of a Helix server unless told otherwise. */
export const DEFAULT_LIMITS: ApiLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2_000,
  maxCost: 20_000,
  maxDirectives: 20,
  maxBodyBytes: 100_000,
  mutationBurst: 30,
  mutationsPerMinute: 60,
};

/**
 * graphql-armor's validation rules: they reject an oversized operation during parse and
 * validation, with a message that names the limit, before anything executes (over HTTP, SSE and
 * graphql-ws alike). Introspection is exempt from depth and cost (GraphiQL needs it).
 */
export function limitPlugins(limits: ApiLimits): Plugin[] {
  // Reported as validation errors (400, like any invalid operation) rather than thrown.
  const asValidationError = {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError }),
    maxAliasesPlugin({ n: limits.maxAliases, ...asValidationError }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...asValidationError }),
    costLimitPlugin({ maxCost: limits.maxCost, ignoreIntrospection: true, ...asValidationError }),
  ] as Plugin[];
}
