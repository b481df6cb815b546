'use client';

import type { Dispatch, FormEvent, SetStateAction } from 'react';
import { consequenceWords } from '@/lib/effects';
import type { Consequence, VariantFilter, VariantOrder, VariantStatus, VariantType } from '@/lib/graphql/operations';
import { parseNumber } from '@/lib/validation';
import { Field } from './field';

const TYPES: VariantType[] = ['SNV', 'INSERTION', 'DELETION'];
const CONSEQUENCES: Consequence[] = [
  'MISSENSE',
  'SYNONYMOUS',
  'STOP_GAINED',
  'STOP_LOST',
  'START_LOST',
  'FRAMESHIFT',
  'INFRAME_INSERTION',
  'INFRAME_DELETION',
  'UPSTREAM',
  'INTERGENIC',
  'NON_CODING',
];

/** The orders the table offers. */
export const ORDERS: { value: VariantOrder; label: string }[] = [
  { value: 'POSITION', label: 'Position' },
  { value: 'QUALITY', label: 'Quality' },
  { value: 'ALLELE_FREQUENCY', label: 'Allele frequency' },
  { value: 'DEPTH', label: 'Depth' },
];

/** The filter form's values, as typed. */
export interface FilterValues {
  types: VariantType[];
  status: '' | VariantStatus;
  minQuality: string;
  minAlleleFrequency: string;
  positionFrom: string;
  positionTo: string;
  /** Gene names, separated by commas or spaces. */
  genes: string;
  consequence: '' | Consequence;
  concernsOnly: boolean;
}

/** The form's fields that can be wrong. */
export type FilterField = 'minQuality' | 'minAlleleFrequency' | 'positionFrom' | 'positionTo' | 'genes';

/** At most this many genes in one filter (the API's bound). */
const MAX_GENES = 100;

export const DEFAULT_FILTER: FilterValues = {
  types: [],
  status: '',
  minQuality: '20',
  minAlleleFrequency: '',
  positionFrom: '',
  positionTo: '',
  genes: '',
  consequence: '',
  concernsOnly: false,
};

/** Turns the filter form into a `VariantFilter`, or messages at its fields. */
export function toVariantFilter(
  runId: string,
  values: FilterValues,
): { filter: VariantFilter } | { errors: Partial<Record<FilterField, string>> } {
  const errors: Partial<Record<FilterField, string>> = {};
  const filter: VariantFilter = { runId };
  const optional = (field: Exclude<FilterField, 'genes'>, rule: Parameters<typeof parseNumber>[1]) => {
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
  const genes = values.genes.split(/[\s,]+/).filter((gene) => gene !== '');
  if (genes.length > MAX_GENES) errors.genes = `Name at most ${MAX_GENES} genes.`;
  if (Object.keys(errors).length > 0) return { errors };
  if (minQuality !== undefined) filter.minQuality = minQuality;
  if (minAlleleFrequency !== undefined) filter.minAlleleFrequency = minAlleleFrequency;
  if (positionFrom !== undefined) filter.positionFrom = positionFrom;
  if (positionTo !== undefined) filter.positionTo = positionTo;
  if (values.types.length > 0 && values.types.length < TYPES.length) filter.types = values.types;
  if (values.status) filter.status = values.status;
  if (genes.length > 0) filter.genes = genes;
  if (values.consequence) filter.consequences = [values.consequence];
  if (values.concernsOnly) filter.mutationsOfConcernOnly = true;
  return { filter };
}

/** The variants table's filter form: sample, type, status, figures, region, genes and consequence. */
export function VariantFilters(props: {
  form: FilterValues;
  setForm: Dispatch<SetStateAction<FilterValues>>;
  errors: Partial<Record<FilterField, string>>;
  orderBy: VariantOrder;
  onSort(order: VariantOrder): void;
  /** The run's sample names; choosing one lists its calls at once. */
  samples: readonly string[];
  sample: string;
  onSample(sample: string): void;
  onApply(event: FormEvent): void;
  onClear(): void;
}) {
  const { form, setForm, errors } = props;
  const text = (field: FilterField) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));
  return (
    <form className="form filters" onSubmit={props.onApply} noValidate aria-label="Variant filters">
      <div className="field">
        <label htmlFor="variant-sample">Sample</label>
        <select id="variant-sample" value={props.sample} onChange={(event) => props.onSample(event.target.value)}>
          <option value="">All samples</option>
          {props.samples.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
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
      <Field
        id="variant-genes"
        name="genes"
        label="Genes"
        hint="Comma-separated, e.g. rpoB, gyrA"
        value={form.genes}
        onChange={text('genes')}
        error={errors.genes}
      />
      <div className="field">
        <label htmlFor="variant-consequence">Consequence</label>
        <select
          id="variant-consequence"
          value={form.consequence}
          onChange={(event) =>
            setForm((current) => ({ ...current, consequence: event.target.value as FilterValues['consequence'] }))
          }
        >
          <option value="">Any</option>
          {CONSEQUENCES.map((consequence) => (
            <option key={consequence} value={consequence}>
              {consequenceWords(consequence)}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.concernsOnly}
          onChange={(event) => setForm((current) => ({ ...current, concernsOnly: event.target.checked }))}
        />
        Mutations of concern only
      </label>
      <div className="field">
        <label htmlFor="variant-order">Sort by</label>
        <select
          id="variant-order"
          value={props.orderBy}
          onChange={(event) => props.onSort(event.target.value as VariantOrder)}
        >
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
        <button type="button" className="button button-ghost" onClick={props.onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}
