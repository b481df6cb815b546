import { formatDateTime } from '@/lib/format';
import type { RunWarningRow } from '@/lib/graphql/operations';
import { warningCounts, warningLabel } from '@/lib/run-warnings';

/**
 * The faults a run met and went on from (a file cut short, not FASTQ, changed after it was taken,
 * …), newest first, with the file each concerns; nothing at all for a run without any.
 */
export function RunWarnings({ warnings }: { warnings: readonly RunWarningRow[] }) {
  if (warnings.length === 0) return null;
  const summary = warningCounts(warnings)
    .map(({ label, count }) => `${count} × ${label.toLowerCase()}`)
    .join(', ');
  return (
    <section className="panel" aria-labelledby="warnings-title">
      <h2 id="warnings-title">Warnings</h2>
      <p className="notice notice-warning">
        The run went on past {warnings.length === 1 ? 'one fault' : `${warnings.length} faults`}: {summary}.
      </p>
      <div className="table-wrap">
        <table className="table" data-testid="run-warnings">
          <caption className="visually-hidden">Faults the run met, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Warning</th>
              <th scope="col">File</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {warnings.map((warning) => (
              // A run keeps one warning per time, code and file.
              <tr key={`${warning.at} ${warning.code} ${warning.file ?? ''}`}>
                <td className="mono">{formatDateTime(warning.at)}</td>
                <td>
                  {warningLabel(warning.code)} <span className="muted mono">{warning.code}</span>
                </td>
                <td className="mono">{warning.file ?? '—'}</td>
                <td>{warning.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
