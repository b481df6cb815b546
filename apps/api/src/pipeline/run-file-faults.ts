import type { RunFolderWarningCode } from '../watch/index.js';

/**
 * Why a DIRECTORY run leaves a file (or itself) short; each is logged with the run's id and kept
 * among the run's warnings, and the run goes on.
 */
export type RunFileFaultCode =
  /** A gzip ends mid-stream (the instrument was still writing it): the reads before the cut are counted, the file ends FAILED. */
  | 'TRUNCATED_FILE'
  /** A file is not FASTQ (a bad record, named by number and line): the reads before it are counted, the file ends FAILED. */
  | 'NOT_FASTQ'
  /** A file could not be read (permissions, I/O error): it ends FAILED with the reads before the error. */
  | 'UNREADABLE_FILE'
  /** A file holds no reads: it ends SKIPPED. */
  | 'EMPTY_FILE'
  /** MinKNOW's `unclassified` barcode folder: its reads belong to no one sample; its files are entered SKIPPED, unread. */
  | 'UNCLASSIFIED_SKIPPED'
  /** The end marker came and the folder held no reads: the run completes with none. */
  | 'EMPTY_RUN'
  /** The run folder was deleted mid-run: the run fails, what was analysed stays stored. */
  | 'RUN_FOLDER_GONE'
  /** A write to the file ledger failed (database down, disk full): it is retried until stored. */
  | 'LEDGER_WRITE_FAILED';

/** Every named warning a DIRECTORY run keeps: its files' faults and its watcher's warnings. */
export type RunWarningCode = RunFileFaultCode | RunFolderWarningCode;

/** The barcode folder MinKNOW puts reads into when it could not tell their barcode. */
export const UNCLASSIFIED_SAMPLE = 'unclassified';

/** How the native reader says a gzip ended early (`HelixError::Io` with `UnexpectedEof`). */
const CUT_SHORT = /unexpected end of file .*; is it truncated\?$/;

/**
 * What a failure of the native FASTQ reader on a file means: bad content is `InvalidArg` (its
 * message names the file, record and line), a gzip that ends early is an I/O error that says so.
 */
export function readFailureCode(error: Error & { code?: unknown }): RunFileFaultCode {
  if (error.code === 'InvalidArg') return 'NOT_FASTQ';
  return CUT_SHORT.test(error.message) ? 'TRUNCATED_FILE' : 'UNREADABLE_FILE';
}

/** The log message for a file the run could not read to its end (its reads before the fault are kept). */
export function readFailureMessage(code: RunFileFaultCode): string {
  switch (code) {
    case 'TRUNCATED_FILE':
      return 'a reads file ends mid-stream (was it still being written?); the reads before the cut are kept';
    case 'NOT_FASTQ':
      return 'a reads file is not FASTQ; the reads before its bad record are kept, the rest is left out';
    default:
      return 'a reads file could not be read to its end; the reads before the fault are kept';
  }
}
