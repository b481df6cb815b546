import { proxyDownload } from '@/server/download';

export const dynamic = 'force-dynamic';

/** The mutations-of-concern list as TSV from the API (`GET /mutations-of-concern.tsv`), with the session's key. */
export async function GET(request: Request): Promise<Response> {
  return proxyDownload(request, { path: '/mutations-of-concern.tsv', filename: 'mutations-of-concern.tsv' });
}
