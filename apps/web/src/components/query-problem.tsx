import type { CombinedError } from 'urql';
import { isUnreachable } from '@/hooks/use-retry';

/** Says why data is missing: the API down (and being retried), or the API's own message. */
export function QueryProblem({ error }: { error: CombinedError | undefined }) {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  const down = isUnreachable(error);
  return (
    <p className="notice notice-error" role="alert">
      {down
        ? `${first?.message ?? 'The dashboard server is not reachable.'} The page tries again by itself.`
        : (first?.message ?? error.message)}
    </p>
  );
}
