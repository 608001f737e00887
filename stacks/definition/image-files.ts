/**
 * Reads an image folder without following links. Whatever lands in user_data, the listing
 * outputs or the build record must be a regular file inside the folder: a symlink to the build
 * host's /etc/passwd (or a link to a folder outside) would copy the host's file into the image.
 *
 * Symlinks and special files (FIFOs, sockets, devices) anywhere in the folder are rejected, and
 * every read opens with O_NOFOLLOW after checking each path component with lstat, so a link made
 * after validation is refused too.
 *
 * Hard links are accepted: a hard link is not a pointer but another name of the same regular
 * file, indistinguishable from a copy by its content; git never creates them, and Linux's
 * fs.protected_hardlinks (on by default) stops a user from hard-linking a file they do not own,
 * such as /etc/shadow. Whatever a merchant hard-links into the folder is theirs to ship.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';

/** What an entry that is not a regular file or folder is, for messages. */
export function describeEntry(abs: string, st: Stats): string {
  if (st.isSymbolicLink()) {
    let target = '(unreadable)';
    try { target = readlinkSync(abs); } catch { /* keep the placeholder */ }
    return `a symbolic link to "${target}"`;
  }
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isDirectory()) return 'a folder';
  return st.isFile() ? 'a regular file' : 'an entry of unknown type';
}

/** Entries of `dir` (relative path -> what they are) that are neither regular files nor folders. */
export function unsafeEntries(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (abs: string) => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else if (!st.isFile()) found.set(relative(dir, path).split(sep).join('/'), describeEntry(path, st));
    }
  };
  walk(dir);
  return found;
}

const FIX = 'the factory never follows links or reads special files (a link would copy the build host\'s file into the image); replace it with a regular file (e.g. `cp --remove-destination "$(readlink -f X)" X`) or delete it';

/** One line per unsafe entry, `<path>: expected ..., found ...; fix`. */
export function unsafeEntryProblems(entries: ReadonlyMap<string, string>): string[] {
  return [...entries].map(([rel, what]) => `${rel}: expected a regular file or folder in the image folder, found ${what}; ${FIX.replace(/X/g, rel)}`);
}

/** Why `rel` inside `dir` is not a readable regular file (checked without following links), or undefined. */
export function regularFileProblem(dir: string, rel: string): string | undefined {
  const parts = rel.split('/').filter((p) => p && p !== '.');
  let abs = dir;
  for (const [i, part] of parts.entries()) {
    abs = join(abs, part);
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch {
      return `no file "${rel}" in ${dir}`;
    }
    const last = i === parts.length - 1;
    if (st.isSymbolicLink() || (!last && !st.isDirectory()) || (last && !st.isFile())) {
      const shown = parts.slice(0, i + 1).join('/');
      return `"${rel}"${shown === rel ? '' : ` inside "${shown}"`}, ${describeEntry(abs, st)}`;
    }
  }
  return parts.length ? undefined : `no file "${rel}" in ${dir}`;
}

/** The bytes of `rel` inside `dir`, refusing links and special files even if they appeared after validation. */
export function readImageFile(dir: string, rel: string): Buffer {
  const problem = regularFileProblem(dir, rel);
  const refuse = (found: string) => new UserError(`${join(dir, rel)}: expected a regular file of the image folder, found ${found}; ${FIX.replace(/X/g, rel)}`);
  if (problem) throw refuse(problem);
  // O_NONBLOCK: opening a FIFO swapped in after the check must not hang the factory.
  let fd: number;
  try {
    fd = openSync(join(dir, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    // ELOOP: the last component became a link between the check and the open.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw refuse(`"${rel}", a symbolic link`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw refuse(`no file "${rel}"`);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw refuse(`"${rel}", ${describeEntry(join(dir, rel), st)}`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A file of the image: from its frozen copy when it has one (freezeImage), else from its folder. */
export function imageFile(image: { readonly dir: string; readonly files?: ReadonlyMap<string, Buffer> }, rel: string): Buffer {
  return image.files?.get(rel) ?? readImageFile(image.dir, rel);
}
