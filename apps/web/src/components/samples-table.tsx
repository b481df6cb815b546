import { formatCount, formatPercent } from '@/lib/format';
import type { SampleRow } from '@/lib/graphql/operations';
import { TableMessageRow } from './table-message-row';

/** A count as a share of the sample's reads analysed, or nothing before the first read. */
function shareOfReads(sample: SampleRow, reads: number): number | undefined {
  return sample.readsAnalysed > 0 ? reads / sample.readsAnalysed : undefined;
}

/**
 * A run's samples in first-seen order: reads, mapping (and pairing, in a run of mates), depth,
 * breadth and confirmed calls. Each sample's name is a button that shows only its calls in the
 * variants table.
 */
export function SamplesTable({
  samples,
  selected,
  onSelect,
}: {
  samples: readonly SampleRow[];
  /** The sample the variants table shows, or '' for all. */
  selected: string;
  onSelect(sample: string): void;
}) {
  // Single-end runs (nanopore, one FASTQ) have no pairs: the column would only say 0 %.
  const paired = samples.some((sample) => sample.properlyPairedReads > 0);
  const columns = paired ? 7 : 6;
  return (
    <section className="panel" aria-labelledby="samples-title">
      <h2 id="samples-title">Samples</h2>
      <div className="table-wrap">
        <table className="table" data-testid="samples-table">
          <caption className="visually-hidden">Samples of this run; choose one to list its variants</caption>
          <thead>
            <tr>
              <th scope="col">Sample</th>
              <th scope="col" className="numeric">
                Reads analysed
              </th>
              <th scope="col" className="numeric">
                Mapped
              </th>
              {paired ? (
                <th scope="col" className="numeric">
                  Properly paired
                </th>
              ) : null}
              <th scope="col" className="numeric">
                Mean depth
              </th>
              <th scope="col" className="numeric">
                Breadth ≥10×
              </th>
              <th scope="col" className="numeric">
                Variants confirmed
              </th>
            </tr>
          </thead>
          <tbody>
            {samples.map((sample) => (
              <tr key={sample.name} aria-current={sample.name === selected ? 'true' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="button button-small mono"
                    aria-pressed={sample.name === selected}
                    title={`Show only the variants of ${sample.name}`}
                    onClick={() => onSelect(sample.name === selected ? '' : sample.name)}
                  >
                    {sample.name}
                  </button>
                </th>
                <td className="numeric">{formatCount(sample.readsAnalysed)}</td>
                <td className="numeric">{formatPercent(shareOfReads(sample, sample.mappedReads))}</td>
                {paired ? (
                  <td className="numeric">{formatPercent(shareOfReads(sample, sample.properlyPairedReads))}</td>
                ) : null}
                <td className="numeric">{`${sample.meanDepth.toFixed(1)}×`}</td>
                <td className="numeric">{formatPercent(sample.breadth10x)}</td>
                <td className="numeric">{formatCount(sample.variantsConfirmed)}</td>
              </tr>
            ))}
            {samples.length === 0 ? <TableMessageRow columns={columns}>No reads analysed yet.</TableMessageRow> : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}
