/**
 * The bench-only dependencies (Emmett and its drivers, bench/package.json) live in
 * bench/node_modules, outside the main install: `npm ci` (CI) never fetches them, and the main
 * typecheck never sees them. The peer workloads call `ensureBenchDeps()` first; it installs them
 * from bench/package-lock.json when one is missing or at another version than bench/package.json
 * pins, or when the sqlite3 native module was not built:
 *   npm ci --prefix bench --no-audit --no-fund --legacy-peer-deps
 * `--legacy-peer-deps` leaves the peers Emmett declares (pg, @types/*) to resolve from the main
 * node_modules, so Emmett drives PostgreSQL through the same pg as eventuali and the raw contender.
 * sqlite3 has no prebuilt binary reachable here and builds from source (about a minute, once).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const MODULES = path.join(BENCH_DIR, 'node_modules');

interface Manifest {
  dependencies?: Record<string, string>;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Installed version of a bench dependency, or null. */
export function benchPackageVersion(name: string): string | null {
  return readJson<{ version?: string }>(path.join(MODULES, name, 'package.json'))?.version ?? null;
}

/** What is missing or stale, or an empty list when bench/node_modules is ready. */
function problems(): string[] {
  const manifest = readJson<Manifest>(path.join(BENCH_DIR, 'package.json'));
  if (!manifest) return ['bench/package.json is missing'];
  const found: string[] = [];
  for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
    const version = benchPackageVersion(name);
    // Exact pins are checked; ranges only need the package to be there (the lockfile pins them).
    if (version === null) found.push(`${name} is not installed`);
    else if (/^\d/.test(range) && version !== range) found.push(`${name} is ${version}, bench/package.json pins ${range}`);
  }
  if (!fs.existsSync(path.join(MODULES, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))) {
    found.push('the sqlite3 native module is not built');
  }
  return found;
}

/** Installs the bench-only dependencies when needed; throws with npm's output when that fails. */
export function ensureBenchDeps(log: (line: string) => void): void {
  const missing = problems();
  if (missing.length === 0) return;
  const lockfile = fs.existsSync(path.join(BENCH_DIR, 'package-lock.json'));
  const args = [lockfile ? 'ci' : 'install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund', '--legacy-peer-deps'];
  log(`  bench-only dependencies: ${missing[0]}${missing.length > 1 ? ` (+${missing.length - 1} more)` : ''}; running npm ${args.join(' ')} (sqlite3 builds from source, about a minute)`);
  const begin = performance.now();
  const result = spawnSync('npm', args, { cwd: BENCH_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`npm ${args[0]} in bench/ failed (exit ${String(result.status)}): ${result.error?.message ?? output}`);
  }
  const left = problems();
  if (left.length > 0) throw new Error(`bench/node_modules is still not ready after npm ${args[0]}: ${left.join('; ')}`);
  log(`  bench-only dependencies installed in ${((performance.now() - begin) / 1000).toFixed(0)} s`);
}
