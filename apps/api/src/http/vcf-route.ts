import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { annField } from '../annotate/ann-field.js';
import { type Authenticator, UnauthenticatedError } from '../auth/caller.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { RunRow, StoredVariantRow } from '../read-model/rows.js';
import { isUuid } from '../read-model/sql.js';
import { type VcfContig, type VcfVariant, vcfHeader, vcfRecord, vcfSiteRecord } from '../vcf/writer.js';

const ROUTE = /^\/runs\/([^/]+)\/variants\.vcf$/;

/** What the VCF route needs from the server. */
export interface VcfRouteOptions {
  /** Who a request's `Authorization` header names: keys and, where configured, OIDC tokens. */
  authenticator: Authenticator;
  /** The read model once the database is ready. */
  reads(): ReadModel | undefined;
  dashboardOrigin: string;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

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

/** Why a request may not read VCFs, or undefined when its key or token is valid (any role). */
async function authenticationRefusal(
  authenticator: Authenticator,
  authorization: unknown,
): Promise<string | undefined> {
  try {
    if (await authenticator.authenticate(authorization)) return undefined;
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error.message;
    throw error;
  }
  return 'Authentication required: send "Authorization: Bearer <key>" (viewer key).';
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
  const origin = request.headers.origin;
  const cors: Record<string, string> =
    origin === options.dashboardOrigin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  if (request.method === 'OPTIONS') {
    response
      .writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin'] && {
          'access-control-allow-methods': 'GET',
          'access-control-allow-headers': 'authorization',
        }),
      })
      .end();
    return true;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: 'Use GET.' }, { allow: 'GET, HEAD', ...cors });
    return true;
  }
  const refusal = await authenticationRefusal(options.authenticator, request.headers.authorization);
  if (refusal) {
    sendJson(response, 401, { error: refusal }, { 'www-authenticate': 'Bearer', ...cors });
    return true;
  }
  const reads = options.reads();
  if (!reads) {
    sendJson(
      response,
      503,
      { error: 'The database is not ready yet; try again shortly.' },
      { 'retry-after': '2', ...cors },
    );
    return true;
  }
  const runId = decodeURIComponent(match[1] ?? '').toLowerCase();
  const [run] = isUuid(runId) ? await reads.runsById([runId]) : [null];
  if (!run) {
    sendJson(response, 404, { error: `No run with id ${match[1]}.` }, cors);
    return true;
  }
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
      if (response.destroyed) return true;
      if (!response.write(text)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
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
