import { sampleDownload } from '../sample-download';

export const dynamic = 'force-dynamic';

/** A sample's consensus FASTA from the API (`GET /runs/:id/samples/:sample/consensus.fa`), with the session's key. */
export async function GET(request: Request, context: { params: Promise<{ id: string; sample: string }> }) {
  return sampleDownload(request, context.params, { name: 'consensus.fa', suffix: '-consensus.fa' });
}
