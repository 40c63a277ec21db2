#!/usr/bin/env node
/**
 * The `eventuali` command (package.json `bin`, built to dist/cli.js). The commands themselves are
 * listed in `commands/index.ts`; this file builds the program, runs it and turns every outcome into
 * an exit code: 0 ok, 1 a failure, 2 a usage error (commander's own included).
 */
import { Command, CommanderError } from 'commander';
import { isEventualiError } from '../core/errors.js';
import { registerBuiltInEvents } from '../event-store/built-in-events.js';
import { SAGA_EVENTS } from '../saga/saga-events.js';
import { CliError, EXIT } from './cli-error.js';
import { Cli, type CliIo } from './cli-context.js';
import { COMMANDS } from './commands/index.js';

// As the package entry does: every store this command opens decodes saga transitions.
registerBuiltInEvents(SAGA_EVENTS);

/** The package's version, written into the build by tsup (tsup.config.ts `env`). */
function packageVersion(): string {
  return process.env.EVENTUALI_VERSION ?? '0.0.0-source';
}

/** The program with every command registered, writing through `cli`. */
export function buildProgram(cli: Cli): Command {
  const program = new Command('eventuali')
    .description('Operate an eventuali event store: migrations, status, streams, the log, subscriptions, dead letters, sagas.')
    .version(packageVersion())
    .option('--url <url>', 'store URL (default: $EVENTUALI_URL, else $DATABASE_URL)')
    .option('--schema <name>', 'PostgreSQL schema of the store (default: eventuali)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.stdout.write(text),
      writeErr: (text) => cli.io.stderr.write(cli.redact(text)),
    });
  program.addHelpText(
    'after',
    `
The store URL: --url, else EVENTUALI_URL, else DATABASE_URL. sqlite://path/to/events.db,
sqlite:///absolute/path.db or postgresql://user:password@host:5432/db. Passwords are never printed.
Exit codes: 0 ok, 1 failure, 2 usage error.

Example:
  $ EVENTUALI_URL=sqlite://./data/events.db eventuali status`,
  );
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/** Runs the command line `argv` (as `process.argv`: node, script, args…) and resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = new Cli(io);
  const program = buildProgram(cli);
  try {
    await program.parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exit code 0; every other commander error is a usage error
      // whose message commander has already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      cli.warn(error.message);
      return error.exitCode;
    }
    cli.warn(isEventualiError(error) ? error.message : describeUnexpected(error));
    return EXIT.failure;
  }
}

function describeUnexpected(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };
void run(process.argv, io).then((code) => {
  process.exitCode = code;
});
