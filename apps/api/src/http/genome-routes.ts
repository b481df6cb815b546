import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Authenticator, UnauthenticatedError } from '../auth/caller.js';
import { BedGraphContig, bedGraphTrackLine } from '../genome/bedgraph.js';
import { ConsensusUnavailableError, runConsensusFasta } from '../genome/run-consensus.js';
import { RunGenome } from '../genome/run-genome.js';
import type { PipelineControl } from '../pipeline/control.js';
import type { ReadModel } from '../read-model/read-model.js';
import { isUuid } from '../read-model/sql.js';

const ROUTE = /^\/runs\/([^/]+)\/samples\/([^/]+)\/(consensus\.fa|coverage\.bedgraph)$/;

/** What the genome downloads need from the server. */
export interface GenomeRouteOptions {
  /** Who a request's `Authorization` header names: keys and, where configured, OIDC tokens. */
  authenticator: Authenticator;
  /** The read model once the database is ready. */
  reads(): ReadModel | undefined;
  /** The pipeline once it is ready: a run going on here is served from its pileups. */
  pipeline(): PipelineControl | undefined;
  dashboardOrigin: string;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/** Why a request may not download, or undefined when its key or token is valid (any role). */
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

/** Writes `text`, waiting while the client is slower than the server; false once the client is gone. */
async function write(response: ServerResponse, text: string): Promise<boolean> {
  if (response.destroyed) return false;
  if (text !== '' && !response.write(text)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
  return !response.destroyed;
}

/** A file name part from a sample's name: letters, digits, `.`, `_` and `-` only. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * `GET /runs/:id/samples/:sample/consensus.fa` (the sample's consensus, one FASTA record per
 * contig) and `GET /runs/:id/samples/:sample/coverage.bedgraph` (its depth as bedGraph, runs of
 * equal depth merged: base by base while the run goes on here, the stored bins after). Viewer key.
 * @returns false when the path is not one of these routes.
 */
export async function serveGenomeDownload(
  request: IncomingMessage,
  response: ServerResponse,
  options: GenomeRouteOptions,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const match = ROUTE.exec(path);
  if (!match) return false;
  const origin = request.headers.origin;
  const cors: Record<string, string> =
    origin === options.dashboardOrigin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  if (request.method === 'OPTIONS') {
    const allowed = cors['access-control-allow-origin']
      ? { 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'authorization' }
      : {};
    response.writeHead(204, { ...cors, ...allowed }).end();
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
  const sample = decodeURIComponent(match[2] ?? '');
  const [run] = isUuid(runId) ? await reads.runsById([runId]) : [null];
  if (!run) {
    sendJson(response, 404, { error: `No run with id ${match[1]}.` }, cors);
    return true;
  }
  const genome = new RunGenome(run, reads.genome, options.pipeline()?.liveGenome?.(run.id));
  if (!(await genome.hasCoverage(sample))) {
    sendJson(response, 404, { error: `Run ${run.id} has no coverage of a sample called ${sample} (yet).` }, cors);
    return true;
  }
  const consensus = match[3] === 'consensus.fa';
  let fasta: string | undefined;
  if (consensus) {
    try {
      fasta = await runConsensusFasta(genome, reads, sample);
    } catch (error) {
      if (!(error instanceof ConsensusUnavailableError)) throw error;
      sendJson(response, 404, { error: error.message }, cors);
      return true;
    }
  }
  const file = `helix-${run.id}-${fileSafe(sample)}.${consensus ? 'consensus.fa' : 'coverage.bedgraph'}`;
  response.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-disposition': `attachment; filename="${file}"`,
    'cache-control': 'no-store',
    ...cors,
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  if (fasta !== undefined) {
    response.end(fasta);
    return true;
  }
  if (!(await write(response, bedGraphTrackLine(sample, run.id)))) return true;
  for (const contig of genome.contigs) {
    const lines = new BedGraphContig(contig.name);
    for await (const piece of genome.contigCoverage(sample, contig)) {
      if (!(await write(response, lines.add(piece)))) return true;
    }
    if (!(await write(response, lines.end()))) return true;
  }
  response.end();
  return true;
}
