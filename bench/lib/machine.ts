/** The machine a run happened on, for RESULTS.md and results.json. */
import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
  sqlite: string;
  betterSqlite3: string;
  postgres: string;
  /** Emmett's packages in bench/node_modules (the peer comparison), or `not installed`. */
  emmett: string;
}

function osName(): string {
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1];
    if (pretty) return `${pretty} (${os.type()} ${os.release()}, ${os.arch()})`;
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()} (${os.arch()})`;
}

function packageVersion(name: string): string {
  try {
    const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(fs.readFileSync(url, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(postgres: string, emmett = 'not installed'): Machine {
  const db = new Database(':memory:');
  const sqlite = db.prepare<[], string>('SELECT sqlite_version()').pluck().get() ?? 'unknown';
  db.close();
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    sqlite,
    betterSqlite3: packageVersion('better-sqlite3'),
    postgres,
    emmett,
  };
}
