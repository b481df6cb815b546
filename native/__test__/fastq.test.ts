import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Producer, type ReadBatch, ReadSimulator, Reference, simulateToFiles } from '../index.js';
import { bytesOf, parseFastq, scratchDir } from './helpers.js';

const dir = scratchDir('fastq');

async function readAll(producer: Producer): Promise<ReadBatch[]> {
  const batches: ReadBatch[] = [];
  for (let batch = await producer.next(); batch; batch = await producer.next()) batches.push(batch);
  return batches;
}

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ascii = (view: Uint8Array) => Buffer.from(view).toString('latin1');

describe('the FASTQ reader', () => {
  it('should stream plain and gzip FASTQ into the same batches the simulator made', async () => {
    const sample = Reference.random(20_000, 4).mutate({ seed: 4 });
    await simulateToFiles({ referenceLength: 20_000, reads: 1000, seed: 4, out: join(dir, 'sim.fq.gz') });
    const expected = new ReadSimulator(sample, { seed: 4 }).nextBatch(1000);
    const batches = await readAll(Producer.fastq([join(dir, 'sim.fq.gz')], { batchSize: 300 }));
    expect(batches.map((b) => b.reads)).toEqual([300, 300, 300, 100]);
    expect(batches.map((b) => b.firstRead)).toEqual([0, 300, 600, 900]);
    const joined = (field: 'bases' | 'qualities' | 'names') => Buffer.concat(batches.map((b) => bytesOf(b[field])));
    expect(joined('bases').equals(bytesOf(expected.bases))).toBe(true);
    expect(joined('qualities').equals(bytesOf(expected.qualities))).toBe(true);
    expect(joined('names').equals(bytesOf(expected.names))).toBe(true);
  });

  it('should read two mate files in lockstep and end the stream with null', async () => {
    await simulateToFiles({
      referenceLength: 20_000,
      reads: 501,
      seed: 8,
      out: join(dir, 'pair_1.fq'),
      out2: join(dir, 'pair_2.fq.gz'),
    });
    const producer = Producer.fastq([join(dir, 'pair_1.fq'), join(dir, 'pair_2.fq.gz')], {
      paired: true,
      batchSize: 255,
    });
    const batches = await readAll(producer);
    expect(batches.every((b) => b.paired && b.reads % 2 === 0)).toBe(true);
    expect(batches.reduce((n, b) => n + b.reads, 0)).toBe(1002);
    const first = batches[0] as ReadBatch;
    const name = (i: number) => ascii(first.names.subarray(first.nameOffsets[i], first.nameOffsets[i + 1]));
    expect(name(0).replace('/1', '')).toBe(name(1).replace('/2', ''));
    expect(await producer.next()).toBeNull();
    expect(producer.stats).toMatchObject({ readsProduced: 1002, finished: true });
  });

  it('should read files one after another and upper-case bases', async () => {
    const a = write('a.fq', '@a1\nacgt\n+\nIIII\n');
    const b = write('b.fq', '@b1 comment\nNNRY\n+\n####\n@b2\nA\n+\nI');
    const [batch] = await readAll(Producer.fastq([a, b], { batchSize: 10 }));
    expect(ascii((batch as ReadBatch).bases)).toBe('ACGTNNNNA');
    expect(ascii((batch as ReadBatch).names)).toBe('a1b1b2');
    expect([...(batch as ReadBatch).offsets]).toEqual([0, 4, 8, 9]);
  });

  it.each([
    ['a header without @', '@r1\nACGT\n+\nIIII\nr2\nACGT\n+\nIIII\n', "record 2 (line 5): header must start with '@'"],
    [
      'a short quality line',
      '@r1\nACGT\n+\nIIII\n@r2\nACGT\n+\nIII\n',
      'record 2 (line 8): quality length 3 differs from sequence length 4',
    ],
    ['a bad base', '@r1\nAC-T\n+\nIIII\n', "record 1 (line 2): invalid base '-' at position 3"],
    ['a missing separator', '@r1\nACGT\nIIII\n@r2\n', "record 1 (line 3): separator line must start with '+'"],
    ['a truncated record', '@r1\nACGT\n+\nIIII\n@r2\nACGT\n', 'record 2 (line 5): truncated record'],
  ])('should reject %s naming the file, record number and problem', async (_, text, problem) => {
    const path = write('bad.fq', text);
    const producer = Producer.fastq([path], { batchSize: 1 });
    await expect(readAll(producer)).rejects.toThrow(`${path}: ${problem}`);
    expect(await producer.next()).toBeNull();
  });

  it('should reject a truncated gzip file', async () => {
    const records = Array.from(
      { length: 20_000 },
      (_, i) => `@r${i}\n${'ACGTTGCA'.repeat(12)}\n+\n${'IIII#III'.repeat(12)}\n`,
    );
    const gz = gzipSync(records.join(''));
    const path = write('cut.fq.gz', gz.subarray(0, gz.length >> 1));
    await expect(readAll(Producer.fastq([path], { batchSize: 4096 }))).rejects.toThrow(
      new RegExp(`^${path}: .*truncated`),
    );
  });

  it('should refuse an unreadable file at once, naming it', () => {
    expect(() => Producer.fastq([join(dir, 'missing.fq')])).toThrow(`${join(dir, 'missing.fq')}: No such file`);
    expect(() => Producer.fastq([])).toThrow('files: name at least one FASTQ file');
    const one = write('one.fq', '@r\nA\n+\nI\n');
    expect(() => Producer.fastq([one], { paired: true })).toThrow('paired reads need exactly two files');
  });

  it('should name the mate file that ends first', async () => {
    const long = write('long.fq', '@p1/1\nAC\n+\nII\n@p2/1\nAC\n+\nII\n');
    const short = write('short.fq', '@p1/2\nAC\n+\nII\n');
    await expect(readAll(Producer.fastq([long, short], { paired: true }))).rejects.toThrow(
      `${short}: ends after record 1 but its mate file ${long} has more records`,
    );
    expect(readFileSync(long, 'utf8')).toContain('p2');
    expect(parseFastq(readFileSync(long, 'utf8'))).toHaveLength(2);
  });
});
