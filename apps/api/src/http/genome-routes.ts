import type { IncomingMessage, ServerResponse } from 'node:http';
import { BedGraphContig, bedGraphTrackLine } from '../genome/bedgraph.js';
import { ConsensusUnavailableError, runConsensusFasta } from '../genome/run-consensus.js';
import { RunGenome } from '../genome/run-genome.js';
import type { PipelineControl } from '../pipeline/control.js';
import { openRunDownload, type RunDownloadOptions, sendJson, writePaced } from './run-download.js';

const ROUTE = /^\/runs\/([^/]+)\/samples\/([^/]+)\/(consensus\.fa|coverage\.bedgraph)$/;

/** What the genome downloads need from the server. */
export interface GenomeRouteOptions extends RunDownloadOptions {
  /** The pipeline once it is ready: a run going on here is served from its pileups. */
  pipeline(): PipelineControl | undefined;
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
  const download = await openRunDownload(request, response, options, match[1] ?? '');
  if (!download) return true;
  const { run, reads, cors } = download;
  const sample = decodeURIComponent(match[2] ?? '');
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
  if (!(await writePaced(response, bedGraphTrackLine(sample, run.id)))) return true;
  for (const contig of genome.contigs) {
    const lines = new BedGraphContig(contig.name);
    for await (const piece of genome.contigCoverage(sample, contig)) {
      if (!(await writePaced(response, lines.add(piece)))) return true;
    }
    if (!(await writePaced(response, lines.end()))) return true;
  }
  response.end();
  return true;
}
