/** A complete reads file (or an Illumina mate pair) handed out by a run-folder watcher, once. */
export interface RunFolderReads {
  type: 'reads';
  /** The sample the layout names: barcode folder, name before `_S<n>`, or the run folder's name. */
  sample: string;
  /** Real paths: one file, or the R1 and R2 mates in that order. */
  paths: readonly string[];
  /** Where the file (R1 of a pair) lies in the run folder, relative, by the names the layout reads. */
  file: string;
  /** Bytes over all paths. */
  size: number;
  /** Latest modification time over all paths, in milliseconds since the epoch. */
  mtime: number;
  /** SHA-256 of each path's first and last 64 KiB as it was handed out, in the order of `paths`. */
  fingerprints: readonly string[];
}

/** Why a watcher warns; each names a file and leaves the rest of the run going. */
export type RunFolderWarningCode =
  /**
   * A file already taken changed: another size, or another modification time with other first
   * or last blocks (a touch or copy of the same content is no change); it is not read again.
   */
  | 'CHANGED_AFTER_TAKEN'
  /** A symbolic link in the run folder leads outside the input directory; it is never read. */
  | 'OUTSIDE_INPUT_DIR'
  /** A `*.tmp` / `*.part` file was still there, unchanged, after the end marker; it is left out. */
  | 'PARTIAL_FILE_ABANDONED'
  /**
   * A file or folder could not be examined (permissions); it is retried at the next scan. A
   * complete file that cannot be read when it is handed out is left out.
   */
  | 'UNREADABLE';

/** A problem with one file of a run; the run goes on. */
export interface RunFolderWarning {
  type: 'warning';
  code: RunFolderWarningCode;
  /** The file or folder concerned. */
  path: string;
  message: string;
}

/** What a run-folder watcher yields, in arrival order. */
export type RunFolderEvent = RunFolderReads | RunFolderWarning;

/** Files complete on disk that the consumer has not pulled yet, and files still being written. */
export interface RunFolderBacklog {
  /** Complete files not yet handed out (an R1 waiting for its mate counts). */
  filesWaiting: number;
  /** Their bytes. */
  bytesWaiting: number;
  /** Files still being written: growing, or named `*.tmp` / `*.part`. */
  filesWriting: number;
  /** Whether the sequencer's end marker has been seen. */
  endMarkerSeen: boolean;
}

/** The run folder disappeared (or stopped being a folder) while it was watched. */
export class RunFolderGoneError extends Error {
  override name = 'RunFolderGoneError';
  constructor(readonly directory: string) {
    super(`the run folder ${directory} was deleted or replaced while it was being watched`);
  }
}
