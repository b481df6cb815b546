import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { RunView } from '@/components/run-view';
import { shortId } from '@/lib/format';
import { ErrorCode, hasErrorCode } from '@/lib/graphql/codes';
import { type RunDetail, RunQuery } from '@/lib/graphql/operations';
import { currentSession } from '@/server/session';
import { ApiUnreachableError, apiRequest } from '@/server/upstream';

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Run ${shortId((await params).id)}` };
}

/** A run: fetched on the server for its first paint (and a real 404), then live in the browser. */
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await currentSession();
  if (!session) redirect('/sign-in');
  let initial: RunDetail | null | undefined;
  try {
    const response = await apiRequest(session.key, RunQuery, { id });
    if (hasErrorCode(response, ErrorCode.Unauthenticated)) redirect('/api/session/end?reason=expired');
    if (response.data && response.data.run === null) notFound();
    initial = response.data?.run ?? undefined;
  } catch (error) {
    // The API is down: the page renders and its client part keeps trying.
    if (!(error instanceof ApiUnreachableError)) throw error;
  }
  return <RunView id={id} initial={initial ?? undefined} />;
}
