import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** The built command (npm test's pretest runs tsup). */
const CLI = join(import.meta.dirname, '../../dist/cli.js');

function start(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
  children.push(child);
  return child;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the URL the command prints once it listens. */
function printedUrl(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/\S+\/)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before listening: ${out}`)));
  });
}

const storeUrl = () => `sqlite://${join(mkdtempSync(join(tmpdir(), 'eventuali-inspect-')), 'events.db')}`;

describe('eventuali inspect', () => {
  it('serves the inspector on 127.0.0.1, read-only, until SIGINT (exit 0)', async () => {
    const child = start(['inspect', '--port', '0', '--url', storeUrl()]);
    const done = exited(child);
    const url = await printedUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const overview = await fetch(`${url}api/overview`);
    expect(overview.status).toBe(200);
    expect(await overview.json()).toMatchObject({ head: '0' });
    expect((await fetch(`${url}api/dead-letters/x/discard`, { method: 'POST' })).status).toBe(403);
    child.kill('SIGINT');
    expect((await done).code).toBe(0);
  });

  it('needs the token it was given, and never prints it', async () => {
    const token = 'token-from-the-environment';
    const child = start(['inspect', '--port', '0', '--url', storeUrl()], { EVENTUALI_INSPECTOR_TOKEN: token });
    const done = exited(child);
    const url = await printedUrl(child);
    expect((await fetch(`${url}api/overview`)).status).toBe(401);
    expect((await fetch(`${url}api/overview`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    child.kill('SIGINT');
    const { code, stdout, stderr } = await done;
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(token);
  });

  it('refuses a non-loopback --host without a token (usage error, exit 2), and a bad port', async () => {
    const wide = await exited(start(['inspect', '--host', '0.0.0.0', '--url', storeUrl()]));
    expect(wide.code).toBe(2);
    expect(wide.stderr).toContain('--token');
    const badPort = await exited(start(['inspect', '--port', 'http', '--url', storeUrl()]));
    expect(badPort.code).toBe(2);
  });
});
