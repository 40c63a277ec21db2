import type { Command } from 'commander';
import { CliError, type Cli } from '../cli-context.js';
import { EVENT_HEADERS, eventJson, eventRow } from '../event-rows.js';

export function registerEvents(program: Command, cli: Cli): void {
  program
    .command('events')
    .description("one stream's events, in version order")
    .argument('<aggregateId>', 'the stream (aggregate id)')
    .option('--json', 'print JSON (every envelope field) instead of a table')
    .addHelpText(
      'after',
      `
Exits 1 when the stream has no events.

Example:
  $ eventuali events order-42
  $ eventuali events order-42 --json | jq '.[].eventType'`,
    )
    .action(async (aggregateId: string, options: { json?: boolean }, command: Command) => {
      await cli.withStore(command, async (store) => {
        const events = await store.loadEvents(aggregateId);
        if (events.length === 0) throw new CliError(`stream ${JSON.stringify(aggregateId)} has no events`);
        if (options.json) return cli.printJson(events.map(eventJson));
        cli.table(EVENT_HEADERS, events.map((e) => eventRow(cli, e)));
      });
    });
}
