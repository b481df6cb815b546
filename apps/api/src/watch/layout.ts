/** What a name in a run folder is to the watcher. */
export type RunFileRole =
  /** Reads of `sample`; an Illumina mate also carries the key its pair shares and its number. */
  | { kind: 'reads'; sample: string; mate?: { pair: string; number: 1 | 2 } }
  /** Still being written under a temporary name (`*.tmp`, `*.part`); never taken. */
  | { kind: 'partial' }
  /** The sequencer's end marker: `final_summary*.txt`, `CopyComplete.txt`, `RTAComplete.txt`. */
  | { kind: 'end-marker' }
  | { kind: 'ignored' };

/** The role of a reads file: its sample, and its mate when it is one of an Illumina pair. */
export type ReadsRole = Extract<RunFileRole, { kind: 'reads' }>;

/** The folder MinKNOW writes passed reads into, one sub-folder per barcode. */
export const MINKNOW_PASS_FOLDER = 'fastq_pass';

const FASTQ = /\.f(?:ast)?q(?:\.gz)?$/i;
const PARTIAL = /\.(?:tmp|part)$/i;
const END_MARKER = /^(?:final_summary.*\.txt|CopyComplete\.txt|RTAComplete\.txt)$/;
// bcl2fastq / BCL Convert: <sample>_S<n>[_L<lane>]_R<1|2>_001.fastq.gz; index reads (_I1_) are not reads.
const ILLUMINA = /^(.+)_S(\d+)(_L\d+)?_([RI])([12])_001\.f(?:ast)?q(?:\.gz)?$/;

/** Whether a file name is a temporary one (`*.tmp`, `*.part`) that a writer renames once done. */
export const isPartialName = (name: string) => PARTIAL.test(name);

/** The temporary names a writer may give `path` before renaming it to `path`. */
export const partialNamesOf = (path: string) => [`${path}.tmp`, `${path}.part`];

/**
 * Whether the watcher looks inside the folder at `segments` (relative to the run folder): the
 * run folder itself, `fastq_pass`, and each barcode folder in it — nothing else (`fastq_fail`,
 * reports, pod5 are never scanned).
 */
export function isScannedFolder(segments: readonly string[]): boolean {
  if (segments.length === 0) return true;
  return segments[0] === MINKNOW_PASS_FOLDER && segments.length <= 2;
}

/**
 * The role of the file at `segments` (relative to the run folder named `runName`): MinKNOW
 * `fastq_pass/<barcode>/*.fastq[.gz]` (sample = barcode), Illumina
 * `<sample>_S<n>_L<lane>_R1_001.fastq.gz` and its `_R2_` mate (sample = name before `_S<n>`), or
 * `*.fastq[.gz]` directly in the folder or in `fastq_pass` (one sample named after the run folder).
 * MinKNOW's `unclassified` folder is named as its barcode is; a run leaves it out, with a warning
 * (`UNCLASSIFIED_SKIPPED`), since its reads belong to no one sample.
 */
export function classifyRunFile(segments: readonly string[], runName: string): RunFileRole {
  const name = segments.at(-1);
  if (name === undefined || name.startsWith('.')) return { kind: 'ignored' };
  if (PARTIAL.test(name)) return { kind: 'partial' };
  const depth = segments.length;
  if (depth === 1 && END_MARKER.test(name)) return { kind: 'end-marker' };
  if (!FASTQ.test(name)) return { kind: 'ignored' };
  if (depth === 3) return { kind: 'reads', sample: segments[1] as string };
  if (depth === 2) return { kind: 'reads', sample: runName };
  const illumina = ILLUMINA.exec(name);
  if (!illumina) return { kind: 'reads', sample: runName };
  const [, sample = '', number = '', lane = '', read, mate] = illumina;
  if (read === 'I') return { kind: 'ignored' };
  return {
    kind: 'reads',
    sample,
    mate: { pair: `${sample}_S${number}${lane}`, number: mate === '1' ? 1 : 2 },
  };
}
