import type { Metadata } from 'next';
import { ConcernsList } from '@/components/concerns-list';
import { currentSession } from '@/server/session';

export const metadata: Metadata = { title: 'Mutations of concern' };

export default async function ConcernsPage() {
  const session = await currentSession();
  return (
    <div className="concerns-page">
      <div className="page-head">
        <h1>Mutations of concern</h1>
      </div>
      <ConcernsList role={session?.role ?? 'viewer'} />
    </div>
  );
}
