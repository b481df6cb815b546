'use client';

import { type FormEvent, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { useRetryWhileUnreachable } from '@/hooks/use-retry';
import { consequenceTone, effectLabel } from '@/lib/effects';
import { formatCount, formatPercent, formatQuality } from '@/lib/format';
import { type VariantFilter, type VariantOrder, type VariantRow, VariantsQuery } from '@/lib/graphql/operations';
import { FilterBadges } from './filter-badges';
import { Pager } from './pager';
import { QueryProblem } from './query-problem';
import { TableMessageRow } from './table-message-row';
import { VariantDetail } from './variant-detail';
import {
  DEFAULT_FILTER,
  type FilterField,
  type FilterValues,
  toVariantFilter,
  VariantFilters,
} from './variant-filters';

const PAGE_SIZE = 25;

/**
 * A run's variant calls: filters, sorting, cursor pages, and a detail view per call. The sample
 * shown is the run page's, so its samples table can choose it too.
 */
export function VariantsTable({
  runId,
  samples,
  sample,
  onSample,
  population,
}: {
  runId: string;
  /** A POPULATION run: its calls' filters get a column. */
  population: boolean;
  /** The run's sample names, in first-seen order. */
  samples: readonly string[];
  /** The sample whose calls are listed, or '' for every sample. */
  sample: string;
  onSample(sample: string): void;
}) {
  const [form, setForm] = useState<FilterValues>(DEFAULT_FILTER);
  const [errors, setErrors] = useState<Partial<Record<FilterField, string>>>({});
  const [filter, setFilter] = useState<VariantFilter>(() => ({ runId, minQuality: 20 }));
  const [orderBy, setOrderBy] = useState<VariantOrder>('POSITION');
  const [selected, setSelected] = useState<VariantRow>();
  const opener = useRef<HTMLButtonElement | null>(null);
  const pages = useCursorPages();
  // A sample chosen anywhere on the page lists its calls from the first page.
  const [pagedSample, setPagedSample] = useState(sample);
  if (pagedSample !== sample) {
    setPagedSample(sample);
    pages.reset();
  }
  const [result, reexecute] = useQuery({
    query: VariantsQuery,
    variables: { filter: sample ? { ...filter, sample } : filter, orderBy, first: PAGE_SIZE, after: pages.after },
    requestPolicy: 'cache-and-network',
  });
  useRetryWhileUnreachable(result.error, () => reexecute({ requestPolicy: 'network-only' }));
  const variants = result.data?.variants;
  const columns = population ? 13 : 12;

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const outcome = toVariantFilter(runId, form);
    if ('errors' in outcome) return setErrors(outcome.errors);
    setErrors({});
    setFilter(outcome.filter);
    pages.reset();
  };
  const sortBy = (order: VariantOrder) => {
    setOrderBy(order);
    pages.reset();
  };
  const sortHeader = (order: VariantOrder, label: string) => (
    <th
      scope="col"
      className="numeric"
      aria-sort={orderBy === order ? (order === 'POSITION' ? 'ascending' : 'descending') : undefined}
    >
      <button
        type="button"
        className="sort-button"
        onClick={() => sortBy(order)}
        title={`Sort by ${label.toLowerCase()}`}
      >
        {label}
        <span aria-hidden="true">{orderBy === order ? (order === 'POSITION' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );

  return (
    <section className="panel" aria-labelledby="variants-title">
      <h2 id="variants-title">Variants</h2>
      <VariantFilters
        form={form}
        setForm={setForm}
        errors={errors}
        orderBy={orderBy}
        onSort={sortBy}
        samples={samples}
        sample={sample}
        onSample={onSample}
        onApply={apply}
        onClear={() => {
          setForm(DEFAULT_FILTER);
          setErrors({});
          setFilter({ runId, minQuality: 20 });
          onSample('');
          pages.reset();
        }}
      />
      <QueryProblem error={result.error} />
      <div className="table-wrap">
        <table className="table" data-testid="variants-table">
          <caption className="visually-hidden">Variant calls of this run</caption>
          <thead>
            <tr>
              <th scope="col">Sample</th>
              <th scope="col">Contig</th>
              {sortHeader('POSITION', 'Position')}
              <th scope="col">Ref → Alt</th>
              <th scope="col">Type</th>
              <th scope="col">Effect</th>
              {sortHeader('DEPTH', 'Depth')}
              {sortHeader('ALLELE_FREQUENCY', 'Allele frequency')}
              {sortHeader('QUALITY', 'Quality')}
              {population ? <th scope="col">Filters</th> : null}
              <th scope="col">Status</th>
              <th scope="col">Interpretation</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {variants?.edges.map(({ node: variant }) => (
              <tr key={variant.id}>
                <td className="mono">{variant.sample || '—'}</td>
                <td className="mono">{variant.contig ?? '—'}</td>
                <td className="numeric mono">{formatCount(variant.position)}</td>
                <td className="mono allele">
                  {variant.ref} → {variant.alt}
                </td>
                <td>{variant.type ?? '—'}</td>
                <td>
                  {variant.effects.length === 0 ? <span className="muted">—</span> : null}
                  {variant.effects.map((effect) => (
                    <span
                      key={`${effect.gene}:${effect.consequence}:${effect.aminoAcidChange}`}
                      className={`effect effect-${consequenceTone(effect.consequence)}`}
                    >
                      {effectLabel(effect)}
                    </span>
                  ))}
                  {variant.mutationOfConcern ? (
                    <span className="tag tag-concern" title={variant.mutationOfConcern.label ?? undefined}>
                      Concern
                    </span>
                  ) : null}
                </td>
                <td className="numeric">{formatCount(variant.depth)}</td>
                <td className="numeric">{formatPercent(variant.alleleFrequency)}</td>
                <td className="numeric">{formatQuality(variant.quality)}</td>
                {population ? (
                  <td>
                    <FilterBadges filters={variant.filters} />
                  </td>
                ) : null}
                <td>{variant.status ? variant.status.charAt(0) + variant.status.slice(1).toLowerCase() : '—'}</td>
                <td className="interpretation-cell">
                  {variant.interpretation ? variant.interpretation.summary : <span className="muted">—</span>}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={(event) => {
                      opener.current = event.currentTarget;
                      setSelected(variant);
                    }}
                    aria-label={`Details of ${variant.ref} to ${variant.alt} at ${variant.position}`}
                  >
                    Details
                  </button>
                </td>
              </tr>
            ))}
            {variants && variants.edges.length === 0 ? (
              <TableMessageRow columns={columns}>No variant calls match these filters.</TableMessageRow>
            ) : null}
            {!variants && !result.error ? <TableMessageRow columns={columns}>Loading variants…</TableMessageRow> : null}
          </tbody>
        </table>
      </div>
      <Pager label="Variants" pages={pages} pageSize={PAGE_SIZE} connection={variants} busy={result.fetching} />
      {selected ? (
        <VariantDetail
          variant={selected}
          population={population}
          onClose={() => {
            setSelected(undefined);
            opener.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
