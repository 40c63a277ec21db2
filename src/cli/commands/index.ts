import type { Command } from 'commander';
import type { Cli } from '../cli-context.js';
import { registerDeadLetters } from './dead-letters.js';
import { registerEvents } from './events.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerInspect } from './inspect.js';
import { registerLog } from './log.js';
import { registerMigrate } from './migrate.js';
import { registerSagas } from './sagas.js';
import { registerStatus } from './status.js';
import { registerStreams } from './streams.js';
import { registerSubscriptions } from './subscriptions.js';

/**
 * Every command of `eventuali`, in the order `--help` lists them.
 *
 * Adding a command is one file: `src/cli/commands/<name>.ts` exports
 * `register<Name>(program: Command, cli: Cli): void`, which calls `program.command('<name>')`,
 * gives it a description, its options, an example with `.addHelpText('after', …)` and an action
 * that opens the store with `cli.withStore(command, …)` and prints with `cli.print`, `cli.table`
 * or `cli.printJson` (never `console.log`: output rules live in `Cli`). Throw `usageError(…)`
 * (exit 2) or `CliError` (exit 1) for a one-line error. Then list the function here.
 */
export type RegisterCommand = (program: Command, cli: Cli) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerMigrate,
  registerStatus,
  registerStreams,
  registerEvents,
  registerLog,
  registerSubscriptions,
  registerDeadLetters,
  registerSagas,
  registerExport,
  registerImport,
  registerInspect,
];
