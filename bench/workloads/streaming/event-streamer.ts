/** 4: the in-process EventStreamer, through `benchStreamer()` of streamer.ts (also runnable on its own). */
import { formatWhole } from '../../lib/format.js';
import { check, describeError, emptyRow, type ResultRow } from '../../lib/results.js';
import type { Workload } from '../../lib/workload.js';
import { benchStreamer } from './streamer.js';

/** The targets streamer.ts states for its figures. */
const TARGETS: Record<string, { label: string; min: number }> = {
  oneReceiver: { label: '1 receiver', min: 1_000_000 },
  tenReceivers: { label: '10 receivers', min: 300_000 },
};

export const eventStreamer: Workload = {
  name: 'streamer',
  ids: ['4'],
  async run(ctx) {
    const rows: ResultRow[] = [];
    try {
      const figures = await benchStreamer();
      for (const [key, value] of Object.entries(figures)) {
        const target = TARGETS[key];
        const row = emptyRow('4', `publish → receive, ${target?.label ?? key}`, 'in-process', 'events/s', []);
        row.values = { eventuali: value };
        if (target) row.checks.push(check('events/s', value, '>=', target.min, 'value'));
        rows.push(row);
        ctx.log(`  4 ${target?.label ?? key}: ${formatWhole(value)} events/s`);
      }
    } catch (error) {
      const row = emptyRow('4', 'EventStreamer', 'in-process', 'events/s', []);
      row.notes.push(`did not run: ${describeError(error)}`);
      rows.push(row);
    }
    return {
      id: '4',
      title: 'EventStreamer (bench/workloads/streaming/streamer.ts)',
      description:
        '`benchStreamer()` from bench/workloads/streaming/streamer.ts: 1,000,000 events published with `await streamer.publishEvent()` to ' +
        'receivers drained by `for await` loops (default capacity), after a warm-up. Targets as stated in that file.',
      columns: ['eventuali'],
      rows,
    };
  },
};
