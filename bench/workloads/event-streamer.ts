/**
 * 4: the in-process EventStreamer, through `benchStreamer()` of bench/streamer.ts (owned by the
 * streaming work) when that file exports it.
 */
import { check, describeError, type ResultRow } from '../lib/results.js';
import type { Workload } from './workload.js';

type BenchStreamer = () => Promise<Record<string, number>>;

/** The targets bench/streamer.ts states for its figures. */
const TARGETS: Record<string, { label: string; min: number }> = {
  oneReceiver: { label: '1 receiver', min: 1_000_000 },
  tenReceivers: { label: '10 receivers', min: 300_000 },
};

async function findBenchStreamer(): Promise<BenchStreamer | string> {
  try {
    const module = (await import('../streamer.js')) as { benchStreamer?: unknown };
    return typeof module.benchStreamer === 'function' ? (module.benchStreamer as BenchStreamer) : 'bench/streamer.ts exports no benchStreamer()';
  } catch (error) {
    return `bench/streamer.ts did not load: ${describeError(error)}`;
  }
}

export const eventStreamer: Workload = {
  name: 'streamer',
  ids: ['4'],
  async run(ctx) {
    const rows: ResultRow[] = [];
    const bench = await findBenchStreamer();
    if (typeof bench === 'string') {
      rows.push({ id: '4', workload: 'EventStreamer', store: 'in-process', unit: 'events/s', values: {}, checks: [], notes: [bench] });
    } else {
      try {
        const figures = await bench();
        for (const [key, value] of Object.entries(figures)) {
          const target = TARGETS[key];
          rows.push({
            id: '4',
            workload: `publish → receive, ${target?.label ?? key}`,
            store: 'in-process',
            unit: 'events/s',
            values: { eventuali: value },
            checks: target ? [check('events/s', value, '>=', target.min, 'value')] : [],
            notes: [],
          });
          ctx.log(`  4 ${target?.label ?? key}: ${Math.round(value).toLocaleString('en-US')} events/s`);
        }
      } catch (error) {
        rows.push({ id: '4', workload: 'EventStreamer', store: 'in-process', unit: 'events/s', values: {}, checks: [], notes: [`did not run: ${describeError(error)}`] });
      }
    }
    return {
      id: '4',
      title: 'EventStreamer (bench/streamer.ts)',
      description:
        '`benchStreamer()` from bench/streamer.ts: 1,000,000 events published with `await streamer.publishEvent()` to ' +
        'receivers drained by `for await` loops (default capacity), after a warm-up. Targets as stated in that file.',
      columns: ['eventuali'],
      rows,
    };
  },
};
