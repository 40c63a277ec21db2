import type { Command } from 'commander';
import { SAGA_STATUSES } from '../../saga/saga-instance.js';
import { storeStatus } from '../../operations/store-status.js';
import type { Cli } from '../cli-context.js';
import { redactUrl } from '../redact.js';
import { subscriptionRows, SUBSCRIPTION_HEADERS } from './subscriptions.js';

export function registerStatus(program: Command, cli: Cli): void {
  program
    .command('status')
    .description('the store at a glance: head position, event and stream counts, subscriptions with lag, dead letters, sagas by status')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali status --url sqlite://./data/events.db
  $ eventuali status --json | jq '.subscriptions[] | select(.lag > 1000)'`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      await cli.withStore(command, async (store) => {
        const status = await storeStatus(store);
        if (options.json) return cli.printJson(status);
        const c = cli.colors;
        cli.fields([
          ['store', redactUrl(cli.resolveUrl(command))],
          ['head', String(status.head)],
          ['events', String(status.events)],
          ['streams', String(status.streams)],
          ['dead letters', status.deadLetters > 0 ? c.red(String(status.deadLetters)) : '0'],
          ['sagas', SAGA_STATUSES.map((s) => `${s} ${status.sagas[s]}`).join(', ')],
        ]);
        cli.print('');
        cli.table(SUBSCRIPTION_HEADERS, subscriptionRows(cli, status.subscriptions), '(no subscriptions)');
      });
    });
}
