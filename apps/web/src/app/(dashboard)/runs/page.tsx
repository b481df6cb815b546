import type { Metadata } from 'next';
import { RunsTable } from '@/components/runs-table';

export const metadata: Metadata = { title: 'Runs' };

export default function RunsPage() {
  return (
    <div className="runs-page">
      <div className="page-head">
        <h1>Runs</h1>
      </div>
      <RunsTable />
    </div>
  );
}
