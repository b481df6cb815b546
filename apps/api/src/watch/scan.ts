import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ForbiddenInputFileError, resolveInputDirectory, resolveInputFile } from '../auth/input-files.js';
import { RunFolderGoneError, type RunFolderWarning } from './events.js';
import { classifyRunFile, isScannedFolder, type RunFileRole } from './layout.js';

/** One file of interest found by a scan, with what `stat` said of it. */
export interface ScannedFile {
  /** Real path; also the key under which the file is taken. */
  path: string;
  /** Where it sits in the run folder (by the name the layout reads, a link's own name). */
  segments: readonly string[];
  role: Exclude<RunFileRole, { kind: 'ignored' }>;
  size: number;
  mtimeMs: number;
  /** Device and inode, so a rename from `*.tmp` is recognised whatever the new name. */
  identity: string;
}

/** What one pass over a run folder saw. */
export interface RunFolderSnapshot {
  files: ScannedFile[];
  /** Real paths of the folders looked into (to be watched for changes). */
  folders: string[];
  warnings: RunFolderWarning[];
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Reads the run folder at `root` (a real path inside `inputDir`): lists the folders the layouts
 * use and stats the files that matter, never opening one. A symbolic link is followed only when
 * its target lies inside `inputDir` (checked by the input directory's own rules); otherwise it
 * is reported and skipped. Throws {@link RunFolderGoneError} when `root` is no longer a folder.
 */
export async function scanRunFolder(inputDir: string, root: string, runName: string): Promise<RunFolderSnapshot> {
  const snapshot: RunFolderSnapshot = { files: [], folders: [], warnings: [] };
  const visit = async (folder: string, segments: readonly string[]): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (segments.length === 0 && (code(error) === 'ENOENT' || code(error) === 'ENOTDIR')) {
        throw new RunFolderGoneError(root);
      }
      if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return;
      snapshot.warnings.push(unreadable(folder, error));
      return;
    }
    snapshot.folders.push(folder);
    await Promise.all(entries.map((entry) => visitEntry(folder, segments, entry)));
  };

  const visitEntry = async (folder: string, parent: readonly string[], entry: Dirent): Promise<void> => {
    const segments = [...parent, entry.name];
    let path = join(folder, entry.name);
    let isFolder = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      // A dangling link is simply not part of the run.
      const target = await stat(path).catch(() => undefined);
      if (target === undefined) return;
      isFolder = target.isDirectory();
      isFile = target.isFile();
      if (isFolder ? !isScannedFolder(segments) : classifyRunFile(segments, runName).kind === 'ignored') return;
      const real = await insideInputDir(path, isFolder);
      if (real === undefined) return;
      path = real;
    }
    if (isFolder) {
      if (isScannedFolder(segments)) await visit(path, segments);
      return;
    }
    const role = classifyRunFile(segments, runName);
    if (role.kind === 'ignored' || !isFile) return;
    try {
      const status = await stat(path);
      snapshot.files.push({
        path,
        segments,
        role,
        size: status.size,
        mtimeMs: status.mtimeMs,
        identity: `${status.dev}:${status.ino}`,
      });
    } catch (error) {
      // Gone between listing and stat: renamed or deleted; the next scan sees what became of it.
      if (code(error) !== 'ENOENT') snapshot.warnings.push(unreadable(path, error));
    }
  };

  /** The real target of an existing link, or undefined (and a warning) when it leads outside. */
  const insideInputDir = async (link: string, isFolder: boolean): Promise<string | undefined> => {
    try {
      return isFolder
        ? await resolveInputDirectory(inputDir, link, 'directory')
        : await resolveInputFile(inputDir, link, 'directory');
    } catch (error) {
      if (!(error instanceof ForbiddenInputFileError)) throw error;
      snapshot.warnings.push({
        type: 'warning',
        code: 'OUTSIDE_INPUT_DIR',
        path: link,
        message: `${link} is a symbolic link that leads outside the input directory; it is not read`,
      });
      return undefined;
    }
  };

  await visit(root, []);
  return snapshot;
}

function unreadable(path: string, error: unknown): RunFolderWarning {
  return {
    type: 'warning',
    code: 'UNREADABLE',
    path,
    message: `${path} cannot be examined (${(error as Error).message}); it is tried again at the next scan`,
  };
}
