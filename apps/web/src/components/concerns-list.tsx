'use client';

import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  AddMutationOfConcernMutation,
  MutationsOfConcernQuery,
  RemoveMutationOfConcernMutation,
} from '@/lib/graphql/operations';
import { DisabledReason, placedError, SubmitButton } from './controls/feedback';
import { Field } from './field';
import { bindField } from './field-binding';
import { QueryProblem } from './query-problem';
import { TableMessageRow } from './table-message-row';

const FIELDS = ['gene', 'aminoAcidChange', 'label'] as const;
type ConcernField = (typeof FIELDS)[number];
const EMPTY: Record<ConcernField, string> = { gene: '', aminoAcidChange: '', label: '' };

/**
 * The mutations-of-concern list: every entry with its label; operators add and remove entries,
 * everyone can download it as TSV.
 */
export function ConcernsList({ role }: { role: 'operator' | 'viewer' }) {
  const [result, reexecute] = useQuery({ query: MutationsOfConcernQuery, requestPolicy: 'cache-and-network' });
  const [{ fetching: adding }, add] = useMutation(AddMutationOfConcernMutation);
  const [, remove] = useMutation(RemoveMutationOfConcernMutation);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<ConcernField, string>>>({});
  const [outcome, setOutcome] = useState<{ text: string; error: boolean }>();
  const disabledReason = role === 'operator' ? undefined : 'Only an operator key may change the list.';
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Partial<Record<ConcernField, string>> = {};
    if (!values.gene.trim()) missing.gene = 'Name a gene (or a contig for a nucleotide change).';
    if (!values.aminoAcidChange.trim()) missing.aminoAcidChange = 'Give the change, e.g. S450L or A23403G.';
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const label = values.label.trim();
    const response = await add({
      input: { gene: values.gene.trim(), aminoAcidChange: values.aminoAcidChange.trim(), label: label || null },
    });
    if (response.error) {
      const { field, text } = placedError(response.error, FIELDS);
      if (field) setErrors({ [field]: text });
      else setOutcome({ text, error: true });
      return;
    }
    setValues(EMPTY);
    setOutcome({
      text: `Added ${response.data?.addMutationOfConcern.gene} ${response.data?.addMutationOfConcern.aminoAcidChange}.`,
      error: false,
    });
    refresh();
  };

  const bind = (field: ConcernField) => bindField(field, values, errors, setValues);
  const disabled = disabledReason !== undefined;
  const entries = result.data?.mutationsOfConcern;
  return (
    <section className="panel" aria-labelledby="concerns-title">
      <h2 id="concerns-title">The list</h2>
      <p className="muted">
        Calls matching an entry raise a mutation-of-concern alarm. An entry is a gene and a one-letter amino-acid change
        (rpoB S450L), or a contig and a nucleotide change (NC_045512.2 A23403G).{' '}
        <a href="/api/mutations-of-concern.tsv" download>
          Download as TSV
        </a>
      </p>
      <QueryProblem error={result.error} />
      <div className="table-wrap">
        <table className="table" data-testid="concerns-table">
          <caption className="visually-hidden">Mutations of concern</caption>
          <thead>
            <tr>
              <th scope="col">Gene or contig</th>
              <th scope="col">Change</th>
              <th scope="col">Label</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries?.map((entry) => (
              <tr key={entry.id}>
                <td className="mono">{entry.gene}</td>
                <td className="mono">{entry.aminoAcidChange}</td>
                <td>{entry.label ?? <span className="muted">—</span>}</td>
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={disabled}
                    aria-label={`Remove ${entry.gene} ${entry.aminoAcidChange}`}
                    onClick={async () => {
                      const response = await remove({ id: entry.id });
                      setOutcome(
                        response.error
                          ? { text: placedError(response.error, FIELDS).text, error: true }
                          : { text: `Removed ${entry.gene} ${entry.aminoAcidChange}.`, error: false },
                      );
                      refresh();
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
            {entries && entries.length === 0 ? <TableMessageRow columns={4}>The list is empty.</TableMessageRow> : null}
          </tbody>
        </table>
      </div>
      <form className="form" onSubmit={submit} noValidate aria-labelledby="concern-add-title">
        <h3 id="concern-add-title">Add an entry</h3>
        <div className="field-grid">
          <Field id="concern-gene" label="Gene or contig" {...bind('gene')} disabled={disabled} />
          <Field
            id="concern-change"
            label="Change"
            hint="S450L, Q57*, or A23403G"
            {...bind('aminoAcidChange')}
            disabled={disabled}
          />
          <Field
            id="concern-label"
            label="Label"
            hint="what it means, e.g. rifampicin resistance"
            {...bind('label')}
            disabled={disabled}
          />
        </div>
        {outcome ? (
          <p
            className={outcome.error ? 'notice notice-error' : 'notice notice-ok'}
            role={outcome.error ? 'alert' : 'status'}
          >
            {outcome.text}
          </p>
        ) : null}
        <div className="button-row">
          <SubmitButton id="concern" className="button button-primary" disabledReason={disabledReason} busy={adding}>
            Add
          </SubmitButton>
        </div>
        <DisabledReason id="concern-reason" text={disabledReason} />
      </form>
    </section>
  );
}
