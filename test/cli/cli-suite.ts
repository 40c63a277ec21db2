import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { CLI, runCli, type CliResult } from './run-cli.js';
import { OrderPlaced, OrderShipped, seedStore, type Seeded } from './seed.js';

/** Where a test file's store lives: its URL, and the global options that pick it (a PostgreSQL schema). */
export interface CliTarget {
  url: string;
  /** Global options before the command, e.g. `['--schema', 's_cli_…']`. */
  globals: string[];
  schema?: string;
  /** Another store of the same kind, never opened: for `migrate`. */
  fresh(): Promise<{ url: string; globals: string[] }>;
}

const ESC = '\u001b[';

/**
 * Every command of `eventuali` as a subprocess (the built dist/cli.js) against one seeded store:
 * output parsed from `--json`, exit codes, no colour when piped.
 */
export function describeCli(name: string, target: () => Promise<CliTarget>): void {
  describe(`eventuali on ${name}`, () => {
    let t: CliTarget;
    let seeded: Seeded;
    const cli = (...args: string[]): Promise<CliResult> => runCli([...t.globals, ...args], { EVENTUALI_URL: t.url });
    const json = async <T>(...args: string[]): Promise<T> => {
      const result = await cli(...args);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(ESC);
      return JSON.parse(result.stdout) as T;
    };

    beforeAll(async () => {
      t = await target();
      seeded = await seedStore(t.url, t.schema === undefined ? {} : { schema: t.schema });
    }, 120_000);

    it('status: head, counts, the lagging subscription with its dead letter, sagas by status', async () => {
      const status = await json<{
        head: string;
        events: number;
        streams: number;
        deadLetters: number;
        sagas: Record<string, number>;
        subscriptions: { id: string; state: string; owner: string | null; checkpoint: string; lag: number; deadLetters: number }[];
      }>('status', '--json');
      const log = (await cli('log', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { globalPosition: string });
      expect(status.events).toBe(log.length);
      expect(status.head).toBe(log.at(-1)?.globalPosition);
      expect(status.streams).toBe(7);
      expect(status.deadLetters).toBe(1);
      expect(status.sagas).toEqual({ running: 0, compensating: 0, completed: 1, compensated: 1, failed: 0 });
      const mailer = status.subscriptions.find((s) => s.id === seeded.lagging);
      const after = log.filter((e) => BigInt(e.globalPosition) > BigInt(mailer?.checkpoint ?? 0)).length;
      expect(mailer).toMatchObject({ state: 'stopped', owner: null, deadLetters: 1, lag: after });
      expect(after).toBeGreaterThan(0);

      const human = await cli('status');
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/streams\s+7/);
      expect(human.stdout).toMatch(/mailer\s+stopped/);
      expect(human.stdout).not.toContain(ESC);
    });

    it('streams: by type, by id prefix, page by page', async () => {
      const all = await json<{ total: number; streams: { aggregateId: string; aggregateType: string; version: number }[] }>('streams', '--type', 'Order', '--json');
      expect(all.total).toBe(5);
      expect(all.streams.map((s) => [s.aggregateId, s.version])).toEqual([['order-1', 2], ['order-2', 1], ['order-3', 1], ['order-4', 1], ['order-5', 1]]);
      const page = await json<{ streams: { aggregateId: string }[]; next: string | null }>('streams', '--type', 'Order', '--limit', '2', '--after', 'order-2', '--json');
      expect(page.streams.map((s) => s.aggregateId)).toEqual(['order-3', 'order-4']);
      expect(page.next).toBe('order-4');
      const sagas = await json<{ total: number }>('streams', '--prefix', 'saga-', '--json');
      expect(sagas.total).toBe(2);
      const human = await cli('streams', '--type', 'Order', '--limit', '2');
      expect(human.stdout).toContain('next page: --after "order-2"');
    });

    it('events: one stream with every envelope field; exit 1 for a stream with no events', async () => {
      const events = await json<{ eventType: string; aggregateVersion: number; globalPosition: string; eventId: string; data: unknown; metadata: unknown; timestamp: string }[]>(
        'events',
        'order-1',
        '--json',
      );
      expect(events.map((e) => [e.eventType, e.aggregateVersion])).toEqual([['OrderPlaced', 1], ['OrderShipped', 2]]);
      expect(events[0]).toMatchObject({ data: { total: 10, note: 'ok' }, metadata: {} });
      expect(typeof events[0]?.globalPosition).toBe('string');
      expect(Number.isNaN(Date.parse(events[0]?.timestamp ?? ''))).toBe(false);
      const missing = await cli('events', 'no-such-stream');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('eventuali: stream "no-such-stream" has no events\n');
    });

    it('log: the global log as NDJSON, from a position, by type', async () => {
      const lines = (await cli('log', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventType: string; globalPosition: string });
      expect(lines.filter((e) => e.eventType === 'OrderPlaced')).toHaveLength(5);
      const shipped = (await cli('log', '--type', 'OrderShipped', '--type', 'eventuali.SagaCompensated', '--json')).stdout.trim().split('\n');
      expect(shipped.map((l) => (JSON.parse(l) as { eventType: string }).eventType)).toEqual(['OrderShipped', 'eventuali.SagaCompensated']);
      const from = lines[2]?.globalPosition ?? '0';
      const rest = (await cli('log', '--from', from, '--limit', '2', '--json')).stdout.trim().split('\n');
      expect(rest.map((l) => (JSON.parse(l) as { globalPosition: string }).globalPosition)).toEqual([lines[3]?.globalPosition, lines[4]?.globalPosition]);
      const human = await cli('log', '--limit', '3');
      expect(human.stdout.trim().split('\n')).toHaveLength(3);
      // Event data is printed as JSON text, never interpreted.
      expect(human.stdout).toContain('<script>alert(1)</script>');
    });

    it('log --follow: prints events stored later, and exits 0 on Ctrl-C (SIGINT)', async () => {
      const child = spawn(process.execPath, [CLI, ...t.globals, 'log', '--follow', '--json', '--type', 'OrderPlaced'], {
        env: { PATH: process.env.PATH ?? '', EVENTUALI_URL: t.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const seen = (text: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`not seen within 30 s: ${text}\n${stdout}\n${stderr}`)), 30_000);
          const check = () => {
            if (stdout.includes(text)) {
              clearTimeout(timer);
              resolve();
            }
          };
          child.stdout.on('data', (c: Buffer) => {
            stdout += c.toString();
            check();
          });
          check();
        });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await seen('"order-5"');
      const store = await EventStore.create(t.url, t.schema === undefined ? {} : { schema: t.schema });
      try {
        store.register(OrderPlaced);
        await store.append('Order', 'order-followed', 'no-stream', [OrderPlaced.create({ total: 1, note: 'live' })]);
      } finally {
        await store.close();
      }
      await seen('"order-followed"');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
      for (const line of stdout.trim().split('\n')) expect((JSON.parse(line) as { eventType: string }).eventType).toBe('OrderPlaced');
    });

    it('subscriptions: state, owner, checkpoint, lag and dead letters', async () => {
      const subscriptions = await json<{ id: string; state: string; lag: number; deadLetters: number }[]>('subscriptions', '--json');
      expect(subscriptions.find((s) => s.id === seeded.lagging)).toMatchObject({ state: 'stopped', deadLetters: 1 });
      const human = await cli('subscriptions');
      expect(human.stdout).toMatch(/^SUBSCRIPTION\s+STATE\s+OWNER\s+CHECKPOINT\s+LAG\s+DEAD LETTERS/);
    });

    it('sagas: list by status, and a compensated saga\'s timeline', async () => {
      const all = await json<{ sagaId: string; status: string }[]>('sagas', 'list', '--json');
      expect(all.map((s) => [s.sagaId, s.status])).toEqual([['saga-ok', 'completed'], ['saga-undone', 'compensated']]);
      const compensated = await json<{ sagaId: string }[]>('sagas', 'list', '--status', 'compensated', '--json');
      expect(compensated.map((s) => s.sagaId)).toEqual([seeded.compensatedSaga]);
      expect(await json<unknown[]>('sagas', 'list', '--status', 'running', '--json')).toEqual([]);
      const shown = await json<{ state: { status: string; failedStep: string }; timeline: { kind: string; step: string | null; detail: string | null }[] }>(
        'sagas',
        'show',
        seeded.compensatedSaga,
        '--json',
      );
      expect(shown.state).toMatchObject({ status: 'compensated', failedStep: 'car' });
      expect(shown.timeline.map((e) => [e.kind, e.step])).toEqual([
        ['started', null],
        ['step-completed', 'flight'],
        ['step-completed', 'hotel'],
        ['step-failed', 'car'],
        ['compensation-started', 'car'],
        ['step-compensated', 'hotel'],
        ['step-compensated', 'flight'],
        ['compensated', null],
      ]);
      expect(shown.timeline[3]?.detail).toContain('no cars left');
      const human = await cli('sagas', 'show', seeded.compensatedSaga);
      expect(human.stdout).toMatch(/status\s+compensated/);
      expect(human.stdout).toMatch(/step-failed\s+car\s+Error: no cars left/);
      const missing = await cli('sagas', 'show', 'no-such-saga');
      expect(missing.code).toBe(1);
      const notSaga = await cli('sagas', 'show', 'order-1');
      expect(notSaga.code).toBe(1);
      expect(notSaga.stderr).toContain('not a saga');
    });

    it('dead-letters replay: the running subscription replays them; --wait reports handled and failed ones', async () => {
      const store = await EventStore.create(t.url, t.schema === undefined ? {} : { schema: t.schema });
      try {
        store.register(OrderPlaced, OrderShipped);
        // mailer still cannot handle order-2: its replay fails, and the letter stays.
        const mailer = store.subscribe({
          id: seeded.lagging,
          aggregateTypes: ['Order'],
          retry: { attempts: 1, backoffMs: 1 },
          handle: (event) => {
            if (event.aggregateId === 'order-2') throw new Error('smtp still down');
          },
        });
        const marked = await json<{ requested: string[]; running: boolean }>('dead-letters', 'replay', '--subscription', seeded.lagging, '--all', '--json');
        expect(marked).toEqual({ requested: [seeded.deadLetterId], running: false });
        const noted = await cli('dead-letters', 'replay', '--subscription', seeded.lagging, seeded.deadLetterId);
        expect(noted.code).toBe(0);
        expect(noted.stderr).toBe(`eventuali: no instance of ${seeded.lagging} is running: the replay happens when it starts\n`);
        await mailer.start();
        const failed = await cli('dead-letters', 'replay', '--subscription', seeded.lagging, '--all', '--wait', '--json');
        expect(failed.code).toBe(1);
        expect(JSON.parse(failed.stdout)).toEqual({ pending: [], handled: [], failed: [seeded.deadLetterId] });
        expect(failed.stderr).toContain('failed again');
        await mailer.stop();

        // billing parks order-3, then runs with a handler that copes: the replay handles it.
        let healthy = false;
        const billing = store.subscribe({
          id: 'billing',
          aggregateTypes: ['Order'],
          retry: { attempts: 1, backoffMs: 1 },
          handle: (event) => {
            if (event.aggregateId === 'order-3' && !healthy) throw new Error('no invoice template');
          },
        });
        await billing.start();
        await billing.waitUntilCaughtUp();
        const [letter] = await billing.listDeadLetters();
        healthy = true;
        const replayed = await json<{ handled: string[]; failed: string[]; pending: string[] }>(
          'dead-letters', 'replay', '--subscription', 'billing', '--all', '--wait', '--json',
        );
        expect(replayed).toEqual({ pending: [], handled: [letter?.id], failed: [] });
        expect(await billing.listDeadLetters()).toEqual([]);
        await billing.stop();
      } finally {
        await store.close();
      }
    });

    it('dead-letters: list, refuse an unknown id changing nothing, discard', async () => {
      const args = ['--subscription', seeded.lagging];
      const letters = await json<{ id: string; eventType: string; error: string; globalPosition: string }[]>('dead-letters', 'list', ...args, '--json');
      expect(letters.map((l) => l.id)).toEqual([seeded.deadLetterId]);
      expect(letters[0]?.error).toContain('smtp down');
      const human = await cli('dead-letters', 'list', ...args);
      // A multi-line error stays on its row.
      expect(human.stdout).toContain('smtp down\\nsecond line');
      const unknown = await cli('dead-letters', 'discard', ...args, 'no-such-letter', seeded.deadLetterId);
      expect(unknown.code).toBe(1);
      expect(await json<unknown[]>('dead-letters', 'list', ...args, '--json')).toHaveLength(1);
      expect((await cli('dead-letters', 'discard', ...args)).code).toBe(2);
      expect((await cli('dead-letters', 'discard', ...args, '--all', seeded.deadLetterId)).code).toBe(2);
      expect(await json<{ discarded: string[] }>('dead-letters', 'discard', ...args, seeded.deadLetterId, '--json')).toEqual({ discarded: [seeded.deadLetterId] });
      expect(await json<unknown[]>('dead-letters', 'list', ...args, '--json')).toEqual([]);
      expect(await json<{ deadLetters: number }>('status', '--json')).toMatchObject({ deadLetters: 0 });
    });

    it('migrate: --check and --print on a new store, then migrate, then up to date', async () => {
      const fresh = await t.fresh();
      const run = (...args: string[]) => runCli([...fresh.globals, ...args], { EVENTUALI_URL: fresh.url });
      const check = await run('migrate', '--check');
      expect(check.code).toBe(1);
      // SQLite has a fourth: its stream-heads index rekeyed by type alone (an append-only B-tree).
      const count = name === 'SQLite' ? 4 : 3;
      expect(check.stdout).toMatch(new RegExp(`^${count} pending: 1 events and snapshots, 2 leases, checkpoints and dead letters, 3 stream heads`));
      const printed = await run('migrate', '--print');
      expect(printed.code).toBe(0);
      expect(printed.stdout).toContain('-- migration 1: events and snapshots');
      expect(printed.stdout).toContain('CREATE TABLE');
      expect((await run('migrate', '--check')).code).toBe(1);
      const applied = await run('migrate', '--json');
      expect(applied.code).toBe(0);
      expect((JSON.parse(applied.stdout) as { applied: { version: number }[] }).applied.map((m) => m.version)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      const after = await run('migrate', '--check', '--json');
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout)).toEqual({ pending: [] });
      expect((await cli('migrate', '--check')).stdout).toBe('up to date\n');
    });
  });
}
