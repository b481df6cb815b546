import { proxyDownload } from '@/server/download';

const notFound = (what: string) =>
  new Response(`No such ${what}.`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * A sample's file from the API (`GET /runs/:id/samples/:sample/<file>`), with the session's key.
 * The run id must look like one and the sample name may hold no path separator or control character.
 */
export async function sampleDownload(
  request: Request,
  params: Promise<{ id: string; sample: string }>,
  file: { name: string; suffix: string },
): Promise<Response> {
  const { id, sample } = await params;
  if (!/^[0-9a-fA-F-]{1,64}$/.test(id)) return notFound('run');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (sample.length === 0 || sample.length > 200 || /[/\\\u0000-\u001f]/.test(sample)) return notFound('sample');
  return proxyDownload(request, {
    path: `/runs/${id}/samples/${encodeURIComponent(sample)}/${file.name}`,
    filename: `helix-${id}-${sample.replace(/[^A-Za-z0-9._-]/g, '_')}${file.suffix}`,
  });
}
