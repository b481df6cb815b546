import { sortForVcf, type VcfContig, type VcfVariant, vcfRecord, vcfSiteRecord } from './writer.js';

/**
 * The VCF data lines of several samples' calls, one line per site with a column per sample in
 * the order given (one sample: its records as they are), sorted as VCF requires.
 */
export function multiSampleLines(calls: readonly (readonly VcfVariant[])[], contigs: VcfContig[]): string[] {
  if (calls.length === 1) return sortForVcf([...(calls[0] ?? [])], contigs).map((call) => vcfRecord(call));
  const sites = new Map<string, (VcfVariant | undefined)[]>();
  for (const [column, sampleCalls] of calls.entries()) {
    for (const call of sampleCalls) {
      const key = `${call.contig}\t${call.position}\t${call.ref}\t${call.alt}`;
      let site = sites.get(key);
      if (!site) {
        site = calls.map(() => undefined);
        sites.set(key, site);
      }
      site[column] = call;
    }
  }
  const firstCalls = [...sites.values()].map((site) => ({
    site,
    ...(site.find((call) => call !== undefined) as VcfVariant),
  }));
  return sortForVcf(firstCalls, contigs).map(({ site }) => vcfSiteRecord(site));
}
