import { readFile } from 'node:fs/promises';

/** One VCF record's identity: contig, position, ref and alt, plus its INFO TYPE when present. */
export interface VcfSite {
  key: string;
  type: string;
}

/** Reads the sites of a VCF (one per ALT allele). */
export async function readVcfSites(path: string): Promise<VcfSite[]> {
  const text = await readFile(path, 'utf8');
  const sites: VcfSite[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [contig, position, , ref, alts, , , info] = line.split('\t');
    const type = /TYPE=([A-Z]+)/.exec(info ?? '')?.[1] ?? 'UNKNOWN';
    for (const alt of (alts ?? '').split(',')) sites.push({ key: `${contig}:${position}:${ref}:${alt}`, type });
  }
  return sites;
}

/** Precision and recall of called sites against the truth, for one variant class. */
export function accuracy(called: VcfSite[], truth: VcfSite[], isClass: (type: string) => boolean) {
  const calledKeys = new Set(called.filter((site) => isClass(site.type)).map((site) => site.key));
  const truthKeys = new Set(truth.filter((site) => isClass(site.type)).map((site) => site.key));
  let truePositives = 0;
  for (const key of calledKeys) if (truthKeys.has(key)) truePositives += 1;
  return {
    called: calledKeys.size,
    truth: truthKeys.size,
    precision: calledKeys.size === 0 ? 1 : truePositives / calledKeys.size,
    recall: truthKeys.size === 0 ? 1 : truePositives / truthKeys.size,
  };
}
