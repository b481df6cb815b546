import { sampleDownload } from '../sample-download';

export const dynamic = 'force-dynamic';

/** A sample's coverage as bedGraph from the API (`GET /runs/:id/samples/:sample/coverage.bedgraph`), with the session's key. */
export async function GET(request: Request, context: { params: Promise<{ id: string; sample: string }> }) {
  return sampleDownload(request, context.params, { name: 'coverage.bedgraph', suffix: '-coverage.bedgraph' });
}
