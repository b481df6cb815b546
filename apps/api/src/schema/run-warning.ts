import type { RunWarningCode as RunWarningCodeName } from '../pipeline/run-file-faults.js';
import type { RunWarningRow } from '../read-model/warnings.js';
import { builder } from './builder.js';

/** Every code a run's warning may carry, described (the record makes the list exhaustive). */
const CODES: Record<RunWarningCodeName, { description: string }> = {
  TRUNCATED_FILE: {
    description: 'A gzip ends mid-stream (still being written?): the reads before the cut count, the file is FAILED.',
  },
  NOT_FASTQ: { description: 'A file is not FASTQ: the reads before its bad record count, the file is FAILED.' },
  UNREADABLE_FILE: { description: 'A file could not be opened or read to its end: it is FAILED.' },
  EMPTY_FILE: { description: 'A file holds no reads: it is SKIPPED.' },
  UNCLASSIFIED_SKIPPED: { description: "MinKNOW's unclassified folder belongs to no sample: its files are SKIPPED." },
  EMPTY_RUN: { description: 'The end marker came and the folder held no reads.' },
  RUN_FOLDER_GONE: { description: 'The run folder was deleted mid-run: the run failed, what was analysed is kept.' },
  LEDGER_WRITE_FAILED: { description: 'Writes to the file ledger failed (database down, disk full) until retried.' },
  CHANGED_AFTER_TAKEN: {
    description: 'A file changed (size or content) or went away after it was taken; it is not read again.',
  },
  OUTSIDE_INPUT_DIR: { description: 'A symbolic link leads outside the input directory; it is never read.' },
  PARTIAL_FILE_ABANDONED: { description: 'A *.tmp / *.part file was still there after the end marker; left out.' },
  UNREADABLE: { description: 'A file or folder could not be examined or read; it is left out or retried.' },
};

export const RunWarningCode = builder.enumType('RunWarningCode', {
  description: 'The name of a fault a run met and went on from.',
  values: CODES,
});

/** A named warning of a run, as stored. */
export const RunWarning = builder.objectRef<RunWarningRow>('RunWarning').implement({
  description:
    'A fault a DIRECTORY run met and went on from: a file cut short, not FASTQ, changed after it was taken, …',
  fields: (t) => ({
    code: t.field({ type: RunWarningCode, resolve: (warning) => warning.code }),
    message: t.exposeString('message'),
    file: t.exposeString('file', {
      nullable: true,
      description: 'The file or folder concerned, relative to the run folder; null for the run as a whole.',
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});
