import type { Command } from 'commander';
import { exportEvents } from '../../event-store/export-events.js';
import { parsePosition, type Cli } from '../cli-context.js';
import { ProgressLine } from '../progress.js';

interface ExportCommandOptions {
  from?: bigint;
  json?: boolean;
}

export function registerExport(program: Command, cli: Cli): void {
  program
    .command('export')
    .description('write the log as NDJSON on stdout: a header line, then one event per line with every envelope field')
    .option('--from <position>', 'export the events after this position (default: 0, the whole log)', parsePosition('--from'))
    .option('--json', 'print a JSON summary on stderr when done')
    .addHelpText(
      'after',
      `
The export stops at the position the store had when it began. Data and metadata are copied as
stored (no event definitions needed). A progress line is drawn on stderr when it is a terminal.
Load the file into another store with \`eventuali import\`.

Example:
  $ eventuali export --url sqlite://./data/events.db > events.ndjson
  $ eventuali export --from 1200 > newer.ndjson`,
    )
    .action(async (options: ExportCommandOptions, command: Command) => {
      await cli.withStore(command, async (store) => {
        const started = Date.now();
        const progress = new ProgressLine(cli.io.stderr, 'exporting');
        const from = options.from ?? 0n;
        let to = 0n;
        let events = 0;
        let lastPosition = from;
        for await (const chunk of exportEvents(store, { from })) {
          if (to === 0n && chunk.startsWith('{"format"')) {
            to = BigInt((JSON.parse(chunk) as { to: string }).to);
          } else {
            events += countLines(chunk);
            lastPosition = lastPositionIn(chunk) ?? lastPosition;
          }
          await write(cli.io.stdout, chunk);
          // Positions are the share done on SQLite (one writer, no gaps but deletions); near it on PostgreSQL.
          progress.update(events, to > from ? Number(lastPosition - from) / Number(to - from) : undefined);
        }
        progress.done();
        const summary = { events, from: from.toString(), to: to.toString(), seconds: (Date.now() - started) / 1000 };
        if (options.json) cli.io.stderr.write(`${JSON.stringify(summary)}\n`);
        else if (progress.enabled) cli.warn(`exported ${events} events (positions after ${from} up to ${to}) in ${summary.seconds.toFixed(1)} s`);
      });
    });
}

function countLines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}

const POSITION = /"globalPosition":"([0-9]+)"/g;

/** The position of the chunk's last event (the field's text is fixed by the export). */
function lastPositionIn(chunk: string): bigint | undefined {
  const start = chunk.lastIndexOf('\n', chunk.length - 2) + 1;
  const match = POSITION.exec(chunk.slice(start));
  POSITION.lastIndex = 0;
  return match ? BigInt(match[1] as string) : undefined;
}

/** Writes and waits for the stream to drain when it asks to: memory stays bounded when stdout is slow. */
async function write(stream: Cli['io']['stdout'], text: string): Promise<void> {
  if (stream.write(text) !== false) return;
  const drained = stream as { once?: (event: string, listener: () => void) => unknown };
  if (typeof drained.once === 'function') await new Promise<void>((resolve) => drained.once?.('drain', resolve));
}
