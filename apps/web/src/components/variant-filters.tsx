'use client';

import type { Dispatch, FormEvent, SetStateAction } from 'react';
import { consequenceWords } from '@/lib/effects';
import type { Consequence, VariantFilter, VariantOrder, VariantStatus, VariantType } from '@/lib/graphql/operations';
import { parseNumber } from '@/lib/validation';
import { DECIMAL_INPUT, Field, WHOLE_NUMBER_INPUT } from './field';
import { bindField } from './field-binding';
import { SelectField, type SelectOption } from './select-field';

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
export const ORDERS: SelectOption<VariantOrder>[] = [
  { value: 'POSITION', label: 'Position' },
  { value: 'QUALITY', label: 'Quality' },
  { value: 'ALLELE_FREQUENCY', label: 'Allele frequency' },
  { value: 'DEPTH', label: 'Depth' },
];

const STATUSES: SelectOption<'' | VariantStatus>[] = [
  { value: '', label: 'Any' },
  { value: 'CONFIRMED', label: 'Confirmed' },
  { value: 'CANDIDATE', label: 'Candidate' },
];
const CONSEQUENCE_OPTIONS: SelectOption<'' | Consequence>[] = [
  { value: '', label: 'Any' },
  ...CONSEQUENCES.map((consequence) => ({ value: consequence, label: consequenceWords(consequence) })),
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
  const bind = (field: FilterField) => bindField(field, form, errors, setForm);
  return (
    <form className="form filters" onSubmit={props.onApply} noValidate aria-label="Variant filters">
      <SelectField
        id="variant-sample"
        label="Sample"
        value={props.sample}
        options={[{ value: '', label: 'All samples' }, ...props.samples.map((name) => ({ value: name, label: name }))]}
        onChange={props.onSample}
      />
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
      <SelectField
        id="variant-status"
        label="Status"
        value={form.status}
        options={STATUSES}
        onChange={(status) => setForm((current) => ({ ...current, status }))}
      />
      <Field id="variant-min-quality" label="Min. quality" {...DECIMAL_INPUT} {...bind('minQuality')} />
      <Field
        id="variant-min-af"
        label="Min. allele frequency (0–1)"
        {...DECIMAL_INPUT}
        {...bind('minAlleleFrequency')}
      />
      <Field id="variant-from" label="From position" {...WHOLE_NUMBER_INPUT} {...bind('positionFrom')} />
      <Field id="variant-to" label="To position" {...WHOLE_NUMBER_INPUT} {...bind('positionTo')} />
      <Field id="variant-genes" label="Genes" hint="Comma-separated, e.g. rpoB, gyrA" {...bind('genes')} />
      <SelectField
        id="variant-consequence"
        label="Consequence"
        value={form.consequence}
        options={CONSEQUENCE_OPTIONS}
        onChange={(consequence) => setForm((current) => ({ ...current, consequence }))}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={form.concernsOnly}
          onChange={(event) => setForm((current) => ({ ...current, concernsOnly: event.target.checked }))}
        />
        Mutations of concern only
      </label>
      <SelectField id="variant-order" label="Sort by" value={props.orderBy} options={ORDERS} onChange={props.onSort} />
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
