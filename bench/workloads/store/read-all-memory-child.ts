/**
 * Child process of the memory workload (3): pages through a seeded SQLite file with `readAll`
 * (limit 1000) and reports RSS as JSON on stdout. A separate process, so earlier workloads'
 * heap does not blur the figures. Usage: read-all-memory-child.ts <file.db> <expected events>
 */
import { EventStore } from '../../../src/index.js';
import { AccountOpened, MoneyDeposited } from '../../domain/account.js';
import { collectGarbage, gcAvailable } from '../../lib/gc.js';
import { RssSampler, rssMb } from '../../lib/rss.js';

export interface MemoryReport {
  events: number;
  pages: number;
  seconds: number;
  /** RSS after opening the store and a GC, before the first page. */
  beforeMb: number;
  /** Largest RSS sampled while paging (after every page, and every 10 ms by a timer). */
  peakMb: number;
  /** RSS after the last page, before and after a GC. */
  endMb: number;
  afterGcMb: number;
  samples: number;
  gc: boolean;
}

const PAGE = 1000;

async function main(): Promise<void> {
  const [filename, expectedText] = process.argv.slice(2);
  if (!filename || !expectedText) throw new Error('usage: read-all-memory-child.ts <file.db> <expected events>');
  const store = await EventStore.create(`sqlite://${filename}`);
  store.register(AccountOpened, MoneyDeposited);
  collectGarbage();
  const beforeMb = rssMb();
  const sampler = new RssSampler(10);
  const begin = performance.now();
  let fromPosition = 0n;
  let events = 0;
  let pages = 0;
  for (;;) {
    const page = await store.readAll({ fromPosition, limit: PAGE });
    sampler.sample();
    if (page.length === 0) break;
    pages++;
    events += page.length;
    fromPosition = page[page.length - 1]?.globalPosition ?? fromPosition;
    // Let the timer sampler run now and then.
    if (pages % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - begin) / 1000;
  sampler.stop();
  const endMb = rssMb();
  await store.close();
  collectGarbage();
  const afterGcMb = rssMb();
  if (events !== Number(expectedText)) throw new Error(`read ${events} events, expected ${expectedText}`);
  const report: MemoryReport = {
    events,
    pages,
    seconds,
    beforeMb,
    peakMb: sampler.peakMb,
    endMb,
    afterGcMb,
    samples: sampler.samples,
    gc: gcAvailable,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
