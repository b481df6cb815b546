/**
 * A minimal reader of a GenBank file's CDS features, written for the tests so
 * the annotator's own reader is checked against something independent.
 */
import type { TestGene } from './retranslate.js';

/** A CDS as the file writes it. */
export interface GenbankCds extends TestGene {
  pseudo: boolean;
}

/** CDS features with simple, `complement(...)` or `join(...)` locations (listed left to right). */
export function readCdsFeatures(text: string): GenbankCds[] {
  const features = text.slice(text.indexOf('\nFEATURES'), text.indexOf('\nORIGIN'));
  const blocks = features.split(/\n(?= {5}\S)/).filter((block) => block.startsWith('     CDS '));
  return blocks.map((block) => {
    const lines = block.split('\n').map((line) => line.slice(21).trim());
    const qualifierStart = lines.findIndex((line) => line.startsWith('/'));
    const location = lines.slice(0, qualifierStart < 0 ? undefined : qualifierStart).join('');
    const qualifiers = new Map<string, string>();
    const qualifierText = qualifierStart < 0 ? '' : lines.slice(qualifierStart).join(' ');
    for (const match of qualifierText.matchAll(/\/(\w+)(?:="([^"]*)"|=(\S+))?/g)) {
      qualifiers.set(match[1] ?? '', match[2] ?? match[3] ?? '');
    }
    const segments = [...location.matchAll(/(\d+)\.\.(\d+)/g)].map(
      (match) => [Number(match[1]), Number(match[2])] as [number, number],
    );
    const locusTag = qualifiers.get('locus_tag') ?? location;
    return {
      name: qualifiers.get('gene') ?? locusTag,
      locusTag,
      strand: location.startsWith('complement(') ? '-' : '+',
      segments,
      pseudo: qualifiers.has('pseudo'),
    };
  });
}
