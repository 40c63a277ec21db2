import type { Command } from 'commander';
import type { Event } from '../../core/event.js';
import type { EventStore } from '../../event-store/event-store.js';
import { parseCount, parsePosition, type Cli } from '../cli-context.js';
import { eventJson } from '../event-rows.js';
import { cell } from '../output.js';

interface LogOptions {
  from?: bigint;
  type: string[];
  follow?: boolean;
  limit?: number;
  json?: boolean;
}

const PAGE = 500;
/** How often `--follow` asks for new events once it has read them all. */
const FOLLOW_POLL_MS = 250;

export function registerLog(program: Command, cli: Cli): void {
  program
    .command('log')
    .description('the global log, in log order; --follow keeps printing new events until Ctrl-C')
    .option('--from <position>', 'start after this position (default: 0, the start)', parsePosition('--from'))
    .option('--type <eventType>', 'only events of this type (repeat for several)', (value: string, all: string[]) => [...all, value], [])
    .option('--limit <n>', 'stop after this many events (without --follow)', parseCount('--limit'))
    .option('-f, --follow', 'after the last event, wait for new ones and print them as they are stored, until Ctrl-C')
    .option('--json', 'print one JSON event per line (NDJSON), every envelope field')
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali log --from 1200 --type OrderPlaced --type OrderCancelled
  $ eventuali log --follow --json | jq -c '{type: .eventType, id: .aggregateId}'`,
    )
    .action(async (options: LogOptions, command: Command) => {
      await cli.withStore(command, async (store) => {
        const print = (event: Event) => (options.json ? cli.printJsonLine(eventJson(event)) : cli.print(logLine(cli, event)));
        if (options.follow) return follow(store, options, print);
        let position = options.from ?? 0n;
        let left = options.limit ?? Infinity;
        while (left > 0) {
          const page = await readPage(store, position, options.type, Math.min(PAGE, left));
          for (const event of page) print(event);
          left -= page.length;
          const last = page.at(-1);
          if (!last || page.length < Math.min(PAGE, left + page.length)) break;
          position = last.globalPosition;
        }
      });
    });
}

function readPage(store: EventStore, after: bigint, types: readonly string[], limit: number): Promise<Event[]> {
  return store.readAll({ fromPosition: after, limit, ...(types.length > 0 ? { eventTypes: types } : {}) });
}

/** Prints pages as they come until SIGINT or SIGTERM, then resolves (the store is closed by the caller, exit code 0). */
async function follow(store: EventStore, options: LogOptions, print: (event: Event) => void): Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let position = options.from ?? 0n;
    while (!stopped) {
      const page = await readPage(store, position, options.type, PAGE);
      for (const event of page) print(event);
      const last = page.at(-1);
      if (last) position = last.globalPosition;
      if (page.length === PAGE || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, FOLLOW_POLL_MS);
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function logLine(cli: Cli, event: Event): string {
  const c = cli.colors;
  const data = cell(JSON.stringify(event.data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '', 100);
  return `${String(event.globalPosition).padStart(8)}  ${c.dim(event.timestamp.toISOString())}  ${c.cyan(event.eventType)}  ${cell(event.aggregateId, 60)}@${event.aggregateVersion}  ${data}`;
}
