import { createReadStream, fstatSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { importEvents, type ImportInput } from '../../event-store/import-events.js';
import { CliError, parseCount, type Cli } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { ProgressLine } from '../progress.js';

interface ImportCommandOptions {
  file?: string;
  batchSize?: number;
  json?: boolean;
}

export function registerImport(program: Command, cli: Cli): void {
  program
    .command('import')
    .description('load an export (NDJSON from `eventuali export`) into an empty store, keeping ids, versions, positions and order')
    .option('--file <path>', 'read the export from this file (default: stdin)')
    .option('--batch-size <n>', 'events per transaction (default: 1000)', parseCount('--batch-size'))
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Into an empty store (run \`eventuali migrate\` first on PostgreSQL if you want to review its SQL).
Run again on the same file, it adds nothing: events already stored with the same id at the same
position are skipped, so an interrupted import resumes where it stopped. A store holding other
events, or a malformed line (named by its number), fails with exit code 1 and nothing of that
batch written. A progress line (events, events/s, ETA) is drawn on stderr when it is a terminal.

Example:
  $ eventuali import --url postgresql://app@db.internal/app < events.ndjson
  $ eventuali import --file events.ndjson --json`,
    )
    .action(async (options: ImportCommandOptions, command: Command) => {
      const { input, size } = openInput(cli, options.file);
      await cli.withStore(command, async (store) => {
        const started = Date.now();
        const progress = new ProgressLine(cli.io.stderr, 'importing');
        const result = await importEvents(store, input, {
          ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
          onProgress: (p) => progress.update(p.events, size ? p.bytes / size : undefined),
        });
        progress.done();
        const seconds = (Date.now() - started) / 1000;
        const summary = {
          events: result.events,
          imported: result.imported,
          skipped: result.skipped,
          lastPosition: result.lastPosition.toString(),
          seconds,
        };
        if (options.json) return cli.printJson(summary);
        cli.print(
          `imported ${result.imported} events` +
            (result.skipped > 0 ? ` (${result.skipped} already there)` : '') +
            ` up to position ${result.lastPosition} in ${seconds.toFixed(1)} s`,
        );
      });
    });
}

/** The export to read, and its size in bytes when known (a file, or stdin redirected from one). */
function openInput(cli: Cli, file: string | undefined): { input: ImportInput; size: number | undefined } {
  if (file !== undefined) {
    let size: number;
    try {
      size = statSync(file).size;
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    return { input: createReadStream(file), size };
  }
  const stdin = cli.io.stdin;
  if (!stdin || stdin.isTTY) throw usageError('no input: pipe an export into stdin (eventuali import < events.ndjson) or pass --file <path>');
  let size: number | undefined;
  try {
    const stat = stdin.fd === undefined ? undefined : fstatSync(stdin.fd);
    if (stat?.isFile()) size = stat.size;
  } catch {
    size = undefined;
  }
  return { input: stdin, size };
}
