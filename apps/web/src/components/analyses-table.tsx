'use client';

import { useState } from 'react';
import { useQuery } from 'urql';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { useRetryWhileUnreachable } from '@/hooks/use-retry';
import { formatCount, formatPercent, formatTime } from '@/lib/format';
import { AnalysesQuery, type AnalysisOrder } from '@/lib/graphql/operations';
import { Pager } from './pager';
import { QueryProblem } from './query-problem';
import { SelectField, type SelectOption } from './select-field';
import { TableMessageRow } from './table-message-row';

const PAGE_SIZE = 50;
const ORDERS: SelectOption<AnalysisOrder>[] = [
  { value: 'SEQUENCE', label: 'Batch sequence' },
  { value: 'CREATED_AT', label: 'Time analysed' },
];

/** A run's analysed batches, in producer order or by time analysed, a page at a time. */
export function AnalysesTable({ runId }: { runId: string }) {
  const pages = useCursorPages();
  const [orderBy, setOrderBy] = useState<AnalysisOrder>('SEQUENCE');
  const [result, reexecute] = useQuery({
    query: AnalysesQuery,
    variables: { run: runId, first: PAGE_SIZE, after: pages.after, orderBy },
    requestPolicy: 'cache-and-network',
  });
  useRetryWhileUnreachable(result.error, () => reexecute({ requestPolicy: 'network-only' }));
  const analyses = result.data?.analyses;
  return (
    <section className="panel" aria-labelledby="analyses-title">
      <div className="panel-head">
        <h2 id="analyses-title">Analysed batches</h2>
        <SelectField
          id="analyses-order"
          label="Order"
          inline
          value={orderBy}
          options={ORDERS}
          onChange={(order) => {
            setOrderBy(order);
            pages.reset();
          }}
        />
      </div>
      <QueryProblem error={result.error} />
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Analysed batches of this run</caption>
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Batch
              </th>
              <th scope="col" className="numeric">
                Reads
              </th>
              <th scope="col" className="numeric">
                Mapped
              </th>
              <th scope="col" className="numeric">
                With mutations
              </th>
              <th scope="col">Analysed at</th>
            </tr>
          </thead>
          <tbody>
            {analyses?.edges.map(({ node: analysis }) => (
              <tr key={analysis.id}>
                <td className="numeric mono">{analysis.sequence}</td>
                <td className="numeric">{formatCount(analysis.reads)}</td>
                <td className="numeric">
                  {formatCount(analysis.mappedReads)}{' '}
                  <span className="muted">
                    ({formatPercent(analysis.reads ? analysis.mappedReads / analysis.reads : 0)})
                  </span>
                </td>
                <td className="numeric">{formatCount(analysis.mutatedReads)}</td>
                <td>{formatTime(analysis.createdAt)}</td>
              </tr>
            ))}
            {analyses && analyses.edges.length === 0 ? (
              <TableMessageRow columns={5}>No batches analysed yet.</TableMessageRow>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager label="Analyses" pages={pages} pageSize={PAGE_SIZE} connection={analyses} busy={result.fetching} />
    </section>
  );
}
