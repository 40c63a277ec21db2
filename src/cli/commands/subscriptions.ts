import type { Command } from 'commander';
import { listSubscriptionStatus, type SubscriptionStatus } from '../../operations/subscription-status.js';
import type { Cli } from '../cli-context.js';
import { cell } from '../output.js';

export const SUBSCRIPTION_HEADERS = ['SUBSCRIPTION', 'STATE', 'OWNER', 'CHECKPOINT', 'LAG', 'DEAD LETTERS', 'CHECKPOINTED AT'] as const;

export function subscriptionRows(cli: Cli, subscriptions: readonly SubscriptionStatus[]): string[][] {
  const c = cli.colors;
  return subscriptions.map((s) => [
    cell(s.id, 40),
    s.state === 'running' ? c.green(s.state) : c.yellow(s.state),
    cell(s.owner ?? '-', 50),
    String(s.checkpoint),
    `${s.lag}${s.lagCapped ? '+' : ''}`,
    s.deadLetters > 0 ? c.red(String(s.deadLetters)) : '0',
    s.checkpointAt ? c.dim(s.checkpointAt.toISOString()) : '-',
  ]);
}

export function registerSubscriptions(program: Command, cli: Cli): void {
  program
    .command('subscriptions')
    .description('every durable subscription and projection: state, lease owner, checkpoint, lag and dead letters')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
STATE is "running" while an instance holds the subscription's lease, "stopped" otherwise.
LAG counts every event stored after the checkpoint (whatever the subscription's filters), up to 100,000 ("100000+").

Example:
  $ eventuali subscriptions
  $ eventuali subscriptions --json | jq -r '.[] | select(.state == "stopped") | .id'`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      await cli.withStore(command, async (store) => {
        const subscriptions = await listSubscriptionStatus(store);
        if (options.json) return cli.printJson(subscriptions);
        cli.table(SUBSCRIPTION_HEADERS, subscriptionRows(cli, subscriptions), '(no subscriptions)');
      });
    });
}
