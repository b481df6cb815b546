import { classOf, type ExpectedEvent } from './events.js';
import type { Contig } from './fasta.js';

/**
 * wgsim's printed truth (haplotype mode, `-h`) as expected events. Its lines are
 * `contig pos ref alt strand`: a substitution `ref base`; an insertion `- bases` after `pos`; a
 * deletion one line `base -` per deleted base, so consecutive ones are joined into one event.
 */
export function parseWgsimTruth(text: string, contigs: readonly Contig[]): ExpectedEvent[] {
  const names = new Set(contigs.map((contig) => contig.name));
  const events: ExpectedEvent[] = [];
  let deletion: ExpectedEvent | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const [contig = '', column, ref = '', alt = ''] = line.split('\t');
    const position = Number(column);
    if (!names.has(contig) || !Number.isInteger(position)) throw new Error(`wgsim truth line ${index + 1}: ${line}`);
    const event = (start: number, eventRef: string, eventAlt: string): ExpectedEvent => ({
      contig,
      start,
      ref: eventRef,
      alt: eventAlt,
      class: classOf({ ref: eventRef, alt: eventAlt }),
      frequency: 1,
      label: `wgsim ${contig}:${position} ${ref}>${alt}`,
      published: true,
    });
    if (alt === '-') {
      if (deletion?.contig === contig && deletion.start + deletion.ref.length === position) {
        deletion.ref += ref;
        deletion.class = classOf(deletion);
        continue;
      }
      deletion = event(position, ref, '');
      events.push(deletion);
      continue;
    }
    deletion = undefined;
    events.push(ref === '-' ? event(position + 1, '', alt) : event(position, ref, alt));
  }
  return events;
}
