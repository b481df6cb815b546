import { proxyDownload } from '@/server/download';

export const dynamic = 'force-dynamic';

/** A run's VCF from the API (`GET /runs/:id/variants.vcf`), with the session's key. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await context.params;
  if (!/^[0-9a-fA-F-]{1,64}$/.test(id)) {
    return new Response('No such run.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  return proxyDownload(request, { path: `/runs/${id}/variants.vcf`, filename: `helix-run-${id}.vcf` });
}
