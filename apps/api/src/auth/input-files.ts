import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** A file a client named that the server will not open; `field` names the input field. */
export class ForbiddenInputFileError extends Error {
  override name = 'ForbiddenInputFileError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const inside = (directory: string, path: string) => {
  const rest = relative(directory, path);
  return rest !== '' && !rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest);
};

/**
 * Resolves a file a client named to its real path inside `inputDir` (`HELIX_INPUT_DIR`), or
 * throws {@link ForbiddenInputFileError}. Names are taken relative to `inputDir`; an absolute
 * name must lie inside it; `..` segments are refused outright; symbolic links are followed and
 * the real target must still lie inside `inputDir`. The real path is returned, so a link changed
 * after this check cannot redirect the read.
 */
export async function resolveInputFile(inputDir: string, name: string, field: string): Promise<string> {
  return resolveInside(inputDir, name, field, 'file');
}

/** Resolves a folder a client named (a run folder) by the same rules as {@link resolveInputFile}. */
export async function resolveInputDirectory(inputDir: string, name: string, field: string): Promise<string> {
  return resolveInside(inputDir, name, field, 'folder');
}

async function resolveInside(inputDir: string, name: string, field: string, kind: 'file' | 'folder'): Promise<string> {
  if (name.trim() === '' || name.includes('\0')) {
    throw new ForbiddenInputFileError(`${field} must name a ${kind} inside the input directory`, field);
  }
  if (name.split(/[\\/]/).includes('..')) {
    throw new ForbiddenInputFileError(
      `${field} must not contain ".." segments; name a ${kind} inside the input directory`,
      field,
    );
  }
  const root = await realpath(inputDir).catch(() => {
    throw new ForbiddenInputFileError(
      `${field}: the server's input directory does not exist; ask an operator to create HELIX_INPUT_DIR`,
      field,
    );
  });
  const requested = isAbsolute(name) ? resolve(name) : resolve(root, name);
  if (isAbsolute(name) && !inside(resolve(inputDir), requested) && !inside(root, requested)) {
    throw new ForbiddenInputFileError(`${field} must name a ${kind} inside the input directory`, field);
  }
  let real: string;
  try {
    real = await realpath(requested);
  } catch {
    throw new ForbiddenInputFileError(`${field}: no such ${kind} in the input directory: ${name}`, field);
  }
  if (!inside(root, real)) {
    throw new ForbiddenInputFileError(`${field} leads outside the input directory (through a symbolic link)`, field);
  }
  const status = await stat(real);
  if (kind === 'file' ? !status.isFile() : !status.isDirectory()) {
    throw new ForbiddenInputFileError(
      `${field}: ${name} is not ${kind === 'file' ? 'a regular file' : 'a directory'}`,
      field,
    );
  }
  return real;
}
