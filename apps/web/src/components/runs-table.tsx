'use client';

import Link from 'next/link';
import { useQuery } from 'urql';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { useRetryWhileUnreachable } from '@/hooks/use-retry';
import { formatCount, formatDateTime, shortId } from '@/lib/format';
import { RunsQuery } from '@/lib/graphql/operations';
import { Pager } from './pager';
import { QueryProblem } from './query-problem';
import { StatusBadge } from './status-badge';
import { TableMessageRow } from './table-message-row';

const PAGE_SIZE = 20;
const SOURCE_LABEL = { SIMULATED: 'Simulated', FASTQ: 'FASTQ', DIRECTORY: 'Run folder' } as const;

/** Every run, newest first, a page at a time. */
export function RunsTable() {
  const pages = useCursorPages();
  const [result, reexecute] = useQuery({
    query: RunsQuery,
    variables: { first: PAGE_SIZE, after: pages.after },
    requestPolicy: 'cache-and-network',
  });
  useRetryWhileUnreachable(result.error, () => reexecute({ requestPolicy: 'network-only' }));
  const runs = result.data?.runs;
  return (
    <section className="panel" aria-labelledby="runs-title">
      <h2 id="runs-title" className="visually-hidden">
        All runs
      </h2>
      <QueryProblem error={result.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Source</th>
              <th scope="col">Started</th>
              <th scope="col">Stopped</th>
              <th scope="col" className="numeric">
                Reads analysed
              </th>
              <th scope="col" className="numeric">
                Variants confirmed
              </th>
            </tr>
          </thead>
          <tbody>
            {runs?.edges.map(({ node: run }) => (
              <tr key={run.id}>
                <td>
                  <Link href={`/runs/${run.id}`} className="mono">
                    {shortId(run.id)}
                  </Link>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{SOURCE_LABEL[run.source]}</td>
                <td>{formatDateTime(run.startedAt)}</td>
                <td>{formatDateTime(run.stoppedAt ?? null)}</td>
                <td className="numeric">{formatCount(run.readsAnalysed)}</td>
                <td className="numeric">{formatCount(run.variantsConfirmed)}</td>
              </tr>
            ))}
            {runs && runs.edges.length === 0 ? (
              <TableMessageRow columns={7}>No runs yet. Start one from the overview.</TableMessageRow>
            ) : null}
            {!runs && !result.error ? <TableMessageRow columns={7}>Loading runs…</TableMessageRow> : null}
          </tbody>
        </table>
      </div>
      <Pager label="Runs" pages={pages} pageSize={PAGE_SIZE} connection={runs} busy={result.fetching} />
    </section>
  );
}
