import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { randomIndex, seededRandom } from './random.js';

/** One haplotype's read pairs, as wgsim wrote them. */
export interface PairSource {
  /** Put before every read name, so the mixture says where each pair came from. */
  prefix: string;
  first: string;
  second: string;
  pairs: number;
}

async function* records(path: string): AsyncGenerator<string> {
  let lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
    lines.push(line);
    if (lines.length === 4) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) throw new Error(`${path}: ends inside a FASTQ record`);
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Writes the sources' pairs into one pair of FASTQ files in a seeded random order (every order of
 * the pairs equally likely), each read's name prefixed with its haplotype: a stream shows the
 * mixture's fractions from its first reads on, as a sequencer's output would.
 */
export async function interleavePairs(sources: readonly PairSource[], outputs: [string, string], seed: number) {
  const random = seededRandom(seed);
  const readers = sources.map((source) => ({
    prefix: `@${source.prefix}:`,
    first: records(source.first),
    second: records(source.second),
    left: source.pairs,
  }));
  const [first, second] = outputs.map((path) => createWriteStream(path)) as [WriteStream, WriteStream];
  let left = readers.reduce((sum, reader) => sum + reader.left, 0);
  const batch: [string[], string[]] = [[], []];
  const flush = async () => {
    await write(first, batch[0].join(''));
    await write(second, batch[1].join(''));
    batch[0] = [];
    batch[1] = [];
  };
  while (left > 0) {
    let pick = randomIndex(random, left);
    const reader = readers.find((candidate) => {
      pick -= candidate.left;
      return pick < 0;
    });
    if (!reader) throw new Error('interleaving ran past the pairs it was given');
    const [one, two] = await Promise.all([reader.first.next(), reader.second.next()]);
    if (one.done || two.done) throw new Error(`haplotype ${reader.prefix} has fewer pairs than its share`);
    batch[0].push(one.value.replace(/^@/, reader.prefix));
    batch[1].push(two.value.replace(/^@/, reader.prefix));
    reader.left -= 1;
    left -= 1;
    if (batch[0].length === 4_096) await flush();
  }
  await flush();
  for (const reader of readers) await Promise.all([reader.first.return(undefined), reader.second.return(undefined)]);
  await Promise.all([first, second].map((stream) => new Promise((resolve) => stream.end(resolve))));
}
