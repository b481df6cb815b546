import type { IncomingMessage, ServerResponse } from 'node:http';
import { annField } from '../annotate/ann-field.js';
import type { RunRow, StoredVariantRow } from '../read-model/rows.js';
import { type VcfContig, type VcfVariant, vcfHeader, vcfRecord, vcfSiteRecord } from '../vcf/writer.js';
import { openRunDownload, type RunDownloadOptions, writePaced } from './run-download.js';

const ROUTE = /^\/runs\/([^/]+)\/variants\.vcf$/;

/** What the VCF route needs from the server. */
export type VcfRouteOptions = RunDownloadOptions;

/** The run's contigs with their lengths; older rows only name a single-contig reference. */
function knownContigs(run: RunRow): VcfContig[] {
  if (run.contigs.length > 0) return run.contigs;
  return /^\d+ contigs$/.test(run.referenceName) ? [] : [{ name: run.referenceName, length: run.referenceLength }];
}

/** The header, with `##contig` lines (ID only) for contigs whose length the run row does not keep. */
function header(run: RunRow, contigs: string[], samples: string[], annotated: boolean): string {
  const known = knownContigs(run);
  const text = vcfHeader({
    contigs: known,
    annotated,
    population: run.config.mode === 'POPULATION',
    ...(samples.length > 0 && { samples }),
    reference: run.referenceName,
    meta: { helixRunId: run.id, helixRunStatus: run.status },
  });
  const unknown = contigs.filter((name) => !known.some((contig) => contig.name === name));
  if (unknown.length === 0) return text;
  return text.replace('##FILTER=', `${unknown.map((name) => `##contig=<ID=${name}>`).join('\n')}\n##FILTER=`);
}

/**
 * `GET /runs/:id/variants.vcf`: a run's confirmed variants as VCF 4.3, streamed in chunks read by
 * keyset (constant memory), respecting the client's pace. Viewer key required.
 * @returns false when the path is not this route's.
 */
export async function serveVcf(
  request: IncomingMessage,
  response: ServerResponse,
  options: VcfRouteOptions,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const match = ROUTE.exec(path);
  if (!match) return false;
  const download = await openRunDownload(request, response, options, match[1] ?? '');
  if (!download) return true;
  const { run, reads, cors } = download;
  const contigs =
    knownContigs(run).length > 0
      ? knownContigs(run).map((contig) => contig.name)
      : await reads.confirmedContigs(run.id);
  response.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-disposition': `attachment; filename="helix-${run.id}.vcf"`,
    'cache-control': 'no-store',
    ...cors,
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  const [stored] = await reads.samplesOfRuns([run.id]);
  const samples = (stored ?? []).map((sample) => sample.name);
  response.write(header(run, contigs, samples, await reads.confirmedHaveEffects(run.id)));
  for (const contig of contigs) {
    for await (const text of vcfLines(reads.confirmedVariants(run.id, contig), samples, vcfCallOf(run))) {
      if (!(await writePaced(response, text))) return true;
    }
  }
  response.end();
  return true;
}

/** How a run's stored calls are written: a population run's with no genotype (per-strand counts, FILTER). */
function vcfCallOf(run: RunRow): (variant: StoredVariantRow) => VcfVariant {
  const population = run.config.mode === 'POPULATION';
  return (variant) => {
    const annotation = annField(variant.alt, variant.effects);
    const genotype = population ? null : (variant.genotype ?? './.');
    return { ...variant, genotype, ...(annotation !== undefined && { annotation }) };
  };
}

/**
 * The VCF lines of one contig's confirmed calls, a chunk of text per chunk of rows. With several
 * samples, the calls of one site (adjacent: rows come by position, ref, alt, sample) make one line
 * with a column per sample; a site cut by a chunk's end waits for the next chunk.
 */
async function* vcfLines(
  chunks: AsyncIterable<StoredVariantRow[]>,
  samples: string[],
  vcfCall: (variant: StoredVariantRow) => VcfVariant,
): AsyncGenerator<string> {
  if (samples.length <= 1) {
    for await (const chunk of chunks) yield chunk.map((variant) => vcfRecord(vcfCall(variant))).join('');
    return;
  }
  const column = new Map(samples.map((name, index) => [name, index]));
  let site: StoredVariantRow[] = [];
  const line = () => {
    const calls: (VcfVariant | undefined)[] = samples.map(() => undefined);
    for (const variant of site) {
      const index = column.get(variant.sample);
      if (index !== undefined) calls[index] = vcfCall(variant);
    }
    return calls.some((call) => call !== undefined) ? vcfSiteRecord(calls) : '';
  };
  for await (const chunk of chunks) {
    let text = '';
    for (const variant of chunk) {
      const head = site[0];
      if (head && (head.position !== variant.position || head.ref !== variant.ref || head.alt !== variant.alt)) {
        text += line();
        site = [];
      }
      site.push(variant);
    }
    yield text;
  }
  if (site.length > 0) yield line();
}
