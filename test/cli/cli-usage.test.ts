import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../helpers/postgres.js';
import { runCli } from './run-cli.js';

const COMMANDS = [
  'migrate',
  'status',
  'streams',
  'events',
  'log',
  'subscriptions',
  'dead-letters',
  'dead-letters list',
  'dead-letters discard',
  'dead-letters replay',
  'sagas',
  'sagas list',
  'sagas show',
];

/** One line on stderr starting with `eventuali: `, nothing on stdout. */
function expectOneLineError(result: { stdout: string; stderr: string }): void {
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^eventuali: [^\n]+\n$/);
}

describe('eventuali: usage, help and exit codes', () => {
  it.each(COMMANDS)('%s --help: exit 0 with an example', async (command) => {
    const result = await runCli([...command.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: eventuali');
    expect(result.stdout).toMatch(/Examples?:\n\s+\$ eventuali /);
  });

  it('--help lists every command, the URL rules and the exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const name of COMMANDS.filter((c) => !c.includes(' '))) expect(result.stdout).toContain(`  ${name}`);
    expect(result.stdout).toContain('EVENTUALI_URL, else DATABASE_URL');
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage error');
  });

  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exit 2 with one line when no store URL is set', async () => {
    const result = await runCli(['status']);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('--url');
  });

  it('takes the URL from --url, else EVENTUALI_URL, else DATABASE_URL', async () => {
    // Each source in turn names a scheme nothing opens: the error proves which one was read.
    const bad = (scheme: string) => `${scheme}://somewhere/db`;
    const fromFlag = await runCli(['--url', bad('flag'), 'status'], { EVENTUALI_URL: bad('env'), DATABASE_URL: bad('database') });
    expect(fromFlag.stderr).toContain('"flag:"');
    const fromEnv = await runCli(['status'], { EVENTUALI_URL: bad('env'), DATABASE_URL: bad('database') });
    expect(fromEnv.stderr).toContain('"env:"');
    const fromDatabaseUrl = await runCli(['status'], { DATABASE_URL: bad('database') });
    expect(fromDatabaseUrl.stderr).toContain('"database:"');
    for (const result of [fromFlag, fromEnv, fromDatabaseUrl]) {
      expect(result.code).toBe(1);
      expectOneLineError(result);
    }
  });

  it.each([
    [['bogus']],
    [['status', '--bogus']],
    [['streams', '--limit', 'ten']],
    [['log', '--from', '-1']],
    [['events']],
    [['dead-letters', 'list']],
    [['sagas', 'list', '--status', 'stuck']],
  ])('exit 2 for a command line that cannot run: %j', async (args) => {
    const result = await runCli(args, { EVENTUALI_URL: 'sqlite::memory:' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toBe('');
  });

  it('a bad URL: exit 1, one line, no password', async () => {
    const result = await runCli(['status'], { EVENTUALI_URL: 'mysql://admin:hunter2-secret@db.example/app' });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('eventuali never prints a password', () => {
  const secret = 'Zx9-never-print-me';

  it('an unreachable server: exit 1, one line naming the cause, no password', async () => {
    const result = await runCli(['status'], { EVENTUALI_URL: `postgresql://ops:${secret}@127.0.0.1:9/app` });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('a wrong password, in the URL and in --url, for status and migrate --check: exit 1, no password', async () => {
    const url = new URL(postgresUrl());
    url.password = secret;
    for (const args of [['status'], ['migrate', '--check'], ['--url', url.toString(), 'log']]) {
      const result = await runCli(args, { DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expectOneLineError(result);
      expect(result.stderr).toMatch(/password|authentication/i);
      expect(result.stderr + result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(encodeURIComponent(secret));
    }
  });

  it('status shows the store URL without its password', async () => {
    const result = await runCli(['status'], { DATABASE_URL: postgresUrl() });
    expect(result.code).toBe(0);
    const password = new URL(postgresUrl()).password;
    expect(password).not.toBe('');
    expect(result.stdout).not.toContain(password);
    expect(result.stdout).toMatch(/store\s+postgresql:\/\/postgres:\*\*\*@/);
  });
});
