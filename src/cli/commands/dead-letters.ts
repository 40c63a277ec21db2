import type { Command } from 'commander';
import { discardDeadLetters, listDeadLetters, replayProgress, requestDeadLetterReplay } from '../../operations/dead-letters.js';
import { listSubscriptionStatus } from '../../operations/subscription-status.js';
import type { DeadLetterRecord } from '../../store/coordination.js';
import { CliError, parseCount, type Cli } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { cell } from '../output.js';

interface TargetOptions {
  subscription: string;
  all?: boolean;
  json?: boolean;
}

interface ReplayOptions extends TargetOptions {
  wait?: boolean;
  timeout: number;
}

const REPLAY_POLL_MS = 200;

/** The ids given, or `'all'` with `--all`; a usage error for neither or both. */
export function targetIds(ids: readonly string[], options: TargetOptions): readonly string[] | 'all' {
  if (options.all && ids.length > 0) throw usageError('give dead letter ids or --all, not both');
  if (options.all) return 'all';
  if (ids.length === 0) throw usageError('give the dead letter ids (see `dead-letters list`) or --all');
  return ids;
}

export function deadLetterRows(cli: Cli, letters: readonly DeadLetterRecord[]): string[][] {
  const c = cli.colors;
  return letters.map((l) => [l.id, String(l.globalPosition), c.cyan(cell(l.eventType, 40)), String(l.attempts), c.dim(l.failedAt.toISOString()), c.red(cell(l.error, 80))]);
}

export function registerDeadLetters(program: Command, cli: Cli): void {
  const deadLetters = program
    .command('dead-letters')
    .description("a subscription's dead letters: list, replay or discard them")
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali dead-letters list --subscription emails
  $ eventuali dead-letters replay --subscription emails --all
  $ eventuali dead-letters discard --subscription emails 0192f4c8-…`,
    );

  deadLetters
    .command('list')
    .description("the subscription's dead letters, oldest first")
    .requiredOption('--subscription <id>', 'the subscription id')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  $ eventuali dead-letters list --subscription emails --json')
    .action(async (options: TargetOptions, command: Command) => {
      await cli.withStore(command, async (store) => {
        const letters = await listDeadLetters(store, options.subscription);
        if (options.json) return cli.printJson(letters);
        cli.table(['ID', 'POSITION', 'EVENT TYPE', 'ATTEMPTS', 'FAILED AT', 'ERROR'], deadLetterRows(cli, letters), '(no dead letters)');
      });
    });

  deadLetters
    .command('discard')
    .description('delete dead letters without handling them again')
    .argument('[ids...]', 'dead letter ids (from `dead-letters list`)')
    .requiredOption('--subscription <id>', 'the subscription id')
    .option('--all', "every dead letter of the subscription")
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExits 1, changing nothing, when an id is not one of the subscription\'s dead letters.\n\nExample:\n  $ eventuali dead-letters discard --subscription emails --all')
    .action(async (ids: string[], options: TargetOptions, command: Command) => {
      const target = targetIds(ids, options);
      await cli.withStore(command, async (store) => {
        const discarded = await discardDeadLetters(store, options.subscription, target);
        if (options.json) return cli.printJson({ discarded: discarded.map((l) => l.id) });
        cli.print(`discarded ${discarded.length} dead letter(s) of ${options.subscription}`);
      });
    });

  deadLetters
    .command('replay')
    .description("hand dead letters to the subscription's handler once more, in the process that runs it")
    .argument('[ids...]', 'dead letter ids (from `dead-letters list`)')
    .requiredOption('--subscription <id>', 'the subscription id')
    .option('--all', 'every dead letter of the subscription')
    .option('--wait', 'wait for the running subscription to replay them; exit 1 if any still fails')
    .option('--timeout <seconds>', 'with --wait: how long to wait', parseCount('--timeout'), 30)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Only the process running the subscription has its handler: this command marks the dead letters in
the store, and the subscription's running instance replays them within about a second (or when it
next starts). A replayed letter that is handled leaves the list; one that fails again stays.

Examples:
  $ eventuali dead-letters replay --subscription emails --all --wait
  $ eventuali dead-letters replay --subscription emails 0192f4c8-…`,
    )
    .action(async (ids: string[], options: ReplayOptions, command: Command) => {
      const target = targetIds(ids, options);
      await cli.withStore(command, async (store) => {
        const requested = await requestDeadLetterReplay(store, options.subscription, target);
        const running = (await listSubscriptionStatus(store)).some((s) => s.id === options.subscription && s.state === 'running');
        if (!options.wait) {
          if (options.json) return cli.printJson({ requested: requested.map((l) => l.id), running });
          cli.print(`requested the replay of ${requested.length} dead letter(s) of ${options.subscription}`);
          if (!running && requested.length > 0) cli.warn(`no instance of ${options.subscription} is running: the replay happens when it starts`);
          return;
        }
        const deadline = Date.now() + options.timeout * 1000;
        let progress = await replayProgress(store, options.subscription, requested);
        while (progress.pending.length > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
          progress = await replayProgress(store, options.subscription, requested);
        }
        if (options.json) cli.printJson(progress);
        else cli.print(`replayed ${requested.length} dead letter(s) of ${options.subscription}: ${progress.handled.length} handled, ${progress.failed.length} failed again, ${progress.pending.length} not replayed yet`);
        if (progress.pending.length > 0) {
          throw new CliError(`${progress.pending.length} dead letter(s) not replayed within ${options.timeout} s${running ? '' : `: no instance of ${options.subscription} is running`}`);
        }
        if (progress.failed.length > 0) throw new CliError(`${progress.failed.length} dead letter(s) failed again (see dead-letters list)`);
      });
    });
}
