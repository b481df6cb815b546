/** A VCF site (one ALT allele) and its class. */
export interface Site {
  key: string;
  snv: boolean;
}

/** Parses VCF text into sites, classed SNV or indel by their alleles (both callers agree on that). */
export function parseVcfSites(text: string): Site[] {
  const sites: Site[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [contig, position, , ref = '', alts = ''] = line.split('\t');
    for (const alt of alts.split(',')) {
      if (alt === '*' || alt === '.') continue;
      sites.push({ key: `${contig}:${position}:${ref}:${alt}`, snv: ref.length === 1 && alt.length === 1 });
    }
  }
  return sites;
}

/** Precision and recall of one class. */
export interface ClassScore {
  precision: number;
  recall: number;
  truth: number;
}

function classScore(called: Site[], truth: Site[]): ClassScore {
  const calledKeys = new Set(called.map((site) => site.key));
  const truthKeys = new Set(truth.map((site) => site.key));
  let hits = 0;
  for (const key of calledKeys) if (truthKeys.has(key)) hits += 1;
  return {
    precision: calledKeys.size ? hits / calledKeys.size : 1,
    recall: truthKeys.size ? hits / truthKeys.size : 1,
    truth: truthKeys.size,
  };
}

/** Scores a call set against the truth, SNVs and indels separately. */
export function score(called: Site[], truth: Site[]): { snv: ClassScore; indel: ClassScore } {
  return {
    snv: classScore(
      called.filter((site) => site.snv),
      truth.filter((site) => site.snv),
    ),
    indel: classScore(
      called.filter((site) => !site.snv),
      truth.filter((site) => !site.snv),
    ),
  };
}
