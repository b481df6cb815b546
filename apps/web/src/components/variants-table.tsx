'use client';

import { type FormEvent, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { useRetryWhileUnreachable } from '@/hooks/use-retry';
import { formatCount, formatPercent, formatQuality } from '@/lib/format';
import {
  type VariantFilter,
  type VariantOrder,
  type VariantRow,
  type VariantStatus,
  VariantsQuery,
  type VariantType,
} from '@/lib/graphql/operations';
import { parseNumber } from '@/lib/validation';
import { Field } from './field';
import { Pager } from './pager';
import { QueryProblem } from './query-problem';
import { VariantDetail } from './variant-detail';

const PAGE_SIZE = 25;
const TYPES: VariantType[] = ['SNV', 'INSERTION', 'DELETION'];
const ORDERS: { value: VariantOrder; label: string }[] = [
  { value: 'POSITION', label: 'Position' },
  { value: 'QUALITY', label: 'Quality' },
  { value: 'ALLELE_FREQUENCY', label: 'Allele frequency' },
  { value: 'DEPTH', label: 'Depth' },
];

interface FilterValues {
  types: VariantType[];
  status: '' | VariantStatus;
  minQuality: string;
  minAlleleFrequency: string;
  positionFrom: string;
  positionTo: string;
}

type FilterField = 'minQuality' | 'minAlleleFrequency' | 'positionFrom' | 'positionTo';

const DEFAULT_FILTER: FilterValues = {
  types: [],
  status: '',
  minQuality: '20',
  minAlleleFrequency: '',
  positionFrom: '',
  positionTo: '',
};

/** Turns the filter form into a `VariantFilter`, or messages at its fields. */
export function toVariantFilter(
  runId: string,
  values: FilterValues,
): { filter: VariantFilter } | { errors: Partial<Record<FilterField, string>> } {
  const errors: Partial<Record<FilterField, string>> = {};
  const filter: VariantFilter = { runId };
  const optional = (field: FilterField, rule: Parameters<typeof parseNumber>[1]) => {
    if (values[field].trim() === '') return undefined;
    const parsed = parseNumber(values[field], rule);
    if (typeof parsed === 'string') errors[field] = parsed;
    else return parsed;
    return undefined;
  };
  const minQuality = optional('minQuality', { label: 'Minimum quality', integer: false, min: 0, max: 1e6 });
  const minAlleleFrequency = optional('minAlleleFrequency', {
    label: 'Minimum allele frequency',
    integer: false,
    min: 0,
    max: 1,
  });
  const positionFrom = optional('positionFrom', { label: 'From position', integer: true, min: 1, max: 2 ** 31 - 1 });
  const positionTo = optional('positionTo', { label: 'To position', integer: true, min: 1, max: 2 ** 31 - 1 });
  if (positionFrom !== undefined && positionTo !== undefined && positionTo < positionFrom) {
    errors.positionTo = 'To position must not be before from position.';
  }
  if (Object.keys(errors).length > 0) return { errors };
  if (minQuality !== undefined) filter.minQuality = minQuality;
  if (minAlleleFrequency !== undefined) filter.minAlleleFrequency = minAlleleFrequency;
  if (positionFrom !== undefined) filter.positionFrom = positionFrom;
  if (positionTo !== undefined) filter.positionTo = positionTo;
  if (values.types.length > 0 && values.types.length < TYPES.length) filter.types = values.types;
  if (values.status) filter.status = values.status;
  return { filter };
}

/** A run's variant calls: filters, sorting, cursor pages, and a detail view per call. */
export function VariantsTable({ runId }: { runId: string }) {
  const [form, setForm] = useState<FilterValues>(DEFAULT_FILTER);
  const [errors, setErrors] = useState<Partial<Record<FilterField, string>>>({});
  const [filter, setFilter] = useState<VariantFilter>(() => ({ runId, minQuality: 20 }));
  const [orderBy, setOrderBy] = useState<VariantOrder>('POSITION');
  const [selected, setSelected] = useState<VariantRow>();
  const opener = useRef<HTMLButtonElement | null>(null);
  const pages = useCursorPages();
  const [result, reexecute] = useQuery({
    query: VariantsQuery,
    variables: { filter, orderBy, first: PAGE_SIZE, after: pages.after },
    requestPolicy: 'cache-and-network',
  });
  useRetryWhileUnreachable(result.error, () => reexecute({ requestPolicy: 'network-only' }));
  const variants = result.data?.variants;

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
  const text = (field: FilterField) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));
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
      <form className="form filters" onSubmit={apply} noValidate aria-label="Variant filters">
        <fieldset className="checks">
          <legend>Type</legend>
          {TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={form.types.includes(type)}
                onChange={(event) =>
                  setForm((current) => ({
                    ...current,
                    types: event.target.checked ? [...current.types, type] : current.types.filter((t) => t !== type),
                  }))
                }
              />
              {type === 'SNV' ? 'SNV' : type.charAt(0) + type.slice(1).toLowerCase()}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="variant-status">Status</label>
          <select
            id="variant-status"
            value={form.status}
            onChange={(event) =>
              setForm((current) => ({ ...current, status: event.target.value as FilterValues['status'] }))
            }
          >
            <option value="">Any</option>
            <option value="CONFIRMED">Confirmed</option>
            <option value="CANDIDATE">Candidate</option>
          </select>
        </div>
        <Field
          id="variant-min-quality"
          name="minQuality"
          label="Min. quality"
          type="number"
          step="any"
          inputMode="decimal"
          value={form.minQuality}
          onChange={text('minQuality')}
          error={errors.minQuality}
        />
        <Field
          id="variant-min-af"
          name="minAlleleFrequency"
          label="Min. allele frequency (0–1)"
          type="number"
          step="any"
          inputMode="decimal"
          value={form.minAlleleFrequency}
          onChange={text('minAlleleFrequency')}
          error={errors.minAlleleFrequency}
        />
        <Field
          id="variant-from"
          name="positionFrom"
          label="From position"
          type="number"
          step="1"
          inputMode="numeric"
          value={form.positionFrom}
          onChange={text('positionFrom')}
          error={errors.positionFrom}
        />
        <Field
          id="variant-to"
          name="positionTo"
          label="To position"
          type="number"
          step="1"
          inputMode="numeric"
          value={form.positionTo}
          onChange={text('positionTo')}
          error={errors.positionTo}
        />
        <div className="field">
          <label htmlFor="variant-order">Sort by</label>
          <select id="variant-order" value={orderBy} onChange={(event) => sortBy(event.target.value as VariantOrder)}>
            {ORDERS.map((order) => (
              <option key={order.value} value={order.value}>
                {order.label}
              </option>
            ))}
          </select>
        </div>
        <div className="button-row">
          <button type="submit" className="button">
            Apply filters
          </button>
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setForm(DEFAULT_FILTER);
              setErrors({});
              setFilter({ runId, minQuality: 20 });
              pages.reset();
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <QueryProblem error={result.error} />
      <div className="table-wrap">
        <table className="table" data-testid="variants-table">
          <caption className="visually-hidden">Variant calls of this run</caption>
          <thead>
            <tr>
              <th scope="col">Contig</th>
              {sortHeader('POSITION', 'Position')}
              <th scope="col">Ref → Alt</th>
              <th scope="col">Type</th>
              {sortHeader('DEPTH', 'Depth')}
              {sortHeader('ALLELE_FREQUENCY', 'Allele frequency')}
              {sortHeader('QUALITY', 'Quality')}
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
                <td className="mono">{variant.contig ?? '—'}</td>
                <td className="numeric mono">{formatCount(variant.position)}</td>
                <td className="mono allele">
                  {variant.ref} → {variant.alt}
                </td>
                <td>{variant.type ?? '—'}</td>
                <td className="numeric">{formatCount(variant.depth)}</td>
                <td className="numeric">{formatPercent(variant.alleleFrequency)}</td>
                <td className="numeric">{formatQuality(variant.quality)}</td>
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
              <tr>
                <td colSpan={10} className="muted">
                  No variant calls match these filters.
                </td>
              </tr>
            ) : null}
            {!variants && !result.error ? (
              <tr>
                <td colSpan={10} className="muted">
                  Loading variants…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager
        label="Variants"
        page={pages.page}
        pageSize={PAGE_SIZE}
        totalCount={variants?.totalCount}
        hasNextPage={variants?.pageInfo.hasNextPage ?? false}
        onPrevious={pages.previous}
        onNext={() => pages.next(variants?.pageInfo.endCursor ?? null)}
        busy={result.fetching}
      />
      {selected ? (
        <VariantDetail
          variant={selected}
          onClose={() => {
            setSelected(undefined);
            opener.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
