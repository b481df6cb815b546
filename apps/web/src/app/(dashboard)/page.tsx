import type { Metadata } from 'next';
import { Overview } from '@/components/overview';
import { currentSession } from '@/server/session';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  const session = await currentSession();
  return <Overview role={session?.role ?? 'viewer'} />;
}
