'use client';

import { useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { consequenceWords } from '@/lib/effects';
import { formatCount, formatDateTime, formatPercent, formatQuality } from '@/lib/format';
import { type VariantDetailData, VariantQuery, type VariantRow } from '@/lib/graphql/operations';
import { AlleleFrequencyHistory } from './allele-frequency-history';
import { FilterBadges } from './filter-badges';

/** Pretty-prints an interpretation's JSON details, or passes text through. */
function details(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A call's reads per strand on each allele, its strand bias and its filters. */
function StrandSupport({ variant }: { variant: VariantDetailData }) {
  return (
    <>
      <h3>Strand support</h3>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Reads of each allele per strand</caption>
          <thead>
            <tr>
              <th scope="col">Allele</th>
              <th scope="col" className="numeric">
                Forward reads
              </th>
              <th scope="col" className="numeric">
                Reverse reads
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Reference ({variant.ref})</th>
              <td className="numeric">{formatCount(variant.forwardRefCount)}</td>
              <td className="numeric">{formatCount(variant.reverseRefCount)}</td>
            </tr>
            <tr>
              <th scope="row">Alternate ({variant.alt})</th>
              <td className="numeric">{formatCount(variant.forwardAltCount)}</td>
              <td className="numeric">{formatCount(variant.reverseAltCount)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <dl className="summary summary-compact">
        <div>
          <dt>Strand bias (Phred)</dt>
          <dd>{variant.strandBias == null ? '— (one strand has no reads)' : formatQuality(variant.strandBias)}</dd>
        </div>
        <div>
          <dt>Filters</dt>
          <dd>
            <FilterBadges filters={variant.filters} />
          </dd>
        </div>
        <div>
          <dt>Reads until detection</dt>
          <dd>{formatCount(variant.readsUntilDetection)}</dd>
        </div>
      </dl>
    </>
  );
}

/** One variant call in a modal dialog (Escape or "Close" returns to the table). */
export function VariantDetail({
  variant: row,
  population,
  onClose,
}: {
  variant: VariantRow;
  /** A POPULATION run's call: it has no genotype, by design. */
  population: boolean;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [result] = useQuery({ query: VariantQuery, variables: { id: row.id } });
  const variant = { ...row, ...(result.data?.variant ?? {}) };
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const rows: [string, string][] = [
    ['Sample', variant.sample || '—'],
    ['Contig', variant.contig ?? '—'],
    ['Position', formatCount(variant.position)],
    ['Reference allele', variant.ref],
    ['Alternate allele', variant.alt],
    ['Type', variant.type ?? '—'],
    ['Genotype', variant.genotype ?? (population ? 'none (a population call)' : '—')],
    ['Depth', formatCount(variant.depth)],
    ['Alt reads', formatCount(variant.altCount)],
    ['Allele frequency', formatPercent(variant.alleleFrequency)],
    ['Quality (Phred)', formatQuality(variant.quality)],
    ['Status', variant.status ?? '—'],
    ['First seen', formatDateTime(variant.firstSeenAt ?? null)],
    ['Last seen', formatDateTime(variant.lastSeenAt ?? null)],
  ];
  const more = details(result.data?.variant?.interpretation?.details);
  const effects = result.data?.variant?.effects ?? [];
  const concern = result.data?.variant?.mutationOfConcern;
  const stored = result.data?.variant;
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="variant-detail-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="variant-detail-title">
          Variant at <span className="mono">{formatCount(variant.position)}</span>{' '}
          <span className="mono allele">
            {variant.ref} → {variant.alt}
          </span>
        </h2>
        <button type="button" className="button button-small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      <dl className="summary summary-compact">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {concern ? (
        <p className="notice notice-error">
          <strong>Mutation of concern</strong>: {concern.gene} {concern.aminoAcidChange}
          {concern.label ? ` — ${concern.label}` : ''}
        </p>
      ) : null}
      {stored ? <StrandSupport variant={stored} /> : null}
      {stored ? (
        <>
          <h3>Allele frequency and depth over the run</h3>
          <AlleleFrequencyHistory points={stored.alleleFrequencyHistory} />
        </>
      ) : null}
      <h3>Effects on genes</h3>
      {effects.length === 0 ? (
        <p className="muted">No annotation: the run has no genes, or none near this call.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Effects of this call on genes</caption>
            <thead>
              <tr>
                <th scope="col">Gene</th>
                <th scope="col">Product</th>
                <th scope="col">Consequence</th>
                <th scope="col">Codons</th>
                <th scope="col">Protein</th>
                <th scope="col">HGVS.c</th>
              </tr>
            </thead>
            <tbody>
              {effects.map((effect) => (
                <tr key={`${effect.gene}:${effect.consequence}:${effect.hgvsC}`}>
                  <td className="mono">
                    {effect.gene ?? '—'}
                    {effect.locusTag ? <span className="muted"> ({effect.locusTag})</span> : null}
                  </td>
                  <td>{effect.product ?? '—'}</td>
                  <td>
                    {consequenceWords(effect.consequence)}{' '}
                    <span className="muted">({effect.impact.toLowerCase()})</span>
                    {effect.distance != null ? <span className="muted"> {formatCount(effect.distance)} bp</span> : null}
                  </td>
                  <td className="mono">{effect.codonChange ?? '—'}</td>
                  <td className="mono">
                    {effect.aminoAcidChange ?? '—'}
                    {effect.hgvsP ? <span className="muted"> {effect.hgvsP}</span> : null}
                  </td>
                  <td className="mono">{effect.hgvsC ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Interpretation</h3>
      {variant.interpretation ? (
        <>
          <p>
            <span className="tag tag-source">{variant.interpretation.source}</span> {variant.interpretation.summary}
          </p>
          {more ? (
            <details>
              <summary>Full interpretation</summary>
              <pre className="code">{more}</pre>
            </details>
          ) : null}
        </>
      ) : (
        <p className="muted">Not interpreted yet.</p>
      )}
    </dialog>
  );
}
