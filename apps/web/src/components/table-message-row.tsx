import type { ReactNode } from 'react';

/** A table body's one-row message across every column: nothing to list yet, or still loading. */
export function TableMessageRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {children}
      </td>
    </tr>
  );
}
