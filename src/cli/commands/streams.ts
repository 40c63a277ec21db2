import type { Command } from 'commander';
import { inspectionOf } from '../../operations/inspection-of.js';
import { parseCount, type Cli } from '../cli-context.js';
import { cell } from '../output.js';

interface StreamsOptions {
  type?: string;
  prefix?: string;
  after?: string;
  limit: number;
  json?: boolean;
}

export function registerStreams(program: Command, cli: Cli): void {
  program
    .command('streams')
    .description('list streams (aggregates) in id order, with their type, version and times')
    .option('--type <aggregateType>', 'only streams of this aggregate type')
    .option('--prefix <text>', 'only streams whose id starts with this text')
    .option('--after <aggregateId>', 'the page after this stream id (the last id of the previous page)')
    .option('--limit <n>', 'streams per page', parseCount('--limit'), 50)
    .option('--json', 'print JSON: { total, streams, next }')
    .addHelpText(
      'after',
      `
Examples:
  $ eventuali streams --type Order --limit 20
  $ eventuali streams --prefix order-4 --json | jq -r '.streams[].aggregateId'
  $ eventuali streams --type Order --after order-0042     # the next page`,
    )
    .action(async (options: StreamsOptions, command: Command) => {
      await cli.withStore(command, async (store) => {
        const inspection = inspectionOf(store);
        const filter = { aggregateType: options.type, idPrefix: options.prefix };
        const [total, streams] = [await inspection.countStreams(filter), await inspection.listStreams({ ...filter, after: options.after, limit: options.limit })];
        const next = streams.length === options.limit ? (streams.at(-1)?.aggregateId ?? null) : null;
        if (options.json) {
          const page = streams.map(({ marker: _marker, ...s }) => s);
          return cli.printJson({ total, streams: page, next });
        }
        const c = cli.colors;
        cli.table(
          ['STREAM', 'TYPE', 'VERSION', 'CREATED', 'UPDATED'],
          streams.map((s) => [cell(s.aggregateId, 60), c.cyan(cell(s.aggregateType, 40)), String(s.version), c.dim(s.createdAt.toISOString()), c.dim(s.updatedAt.toISOString())]),
          '(no streams)',
        );
        cli.print(c.dim(`${streams.length} of ${total} stream(s)${next === null ? '' : `; next page: --after ${JSON.stringify(next)}`}`));
      });
    });
}
