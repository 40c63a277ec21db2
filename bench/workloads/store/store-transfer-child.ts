/**
 * Child process of the transfer workload (t1): exports a store to an NDJSON file, or imports one
 * into a store, with the library's `exportEvents` / `importEvents` (what `eventuali export` and
 * `eventuali import` run), and reports the time and RSS as JSON on stdout. A process of its own,
 * so the bench's heap does not blur the memory figures.
 * Usage: store-transfer-child.ts export <store url> <file> | import <store url> <file>
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EventStore, exportEvents, importEvents } from '../../../src/index.js';
import { collectGarbage, gcAvailable } from '../../lib/gc.js';
import { RssSampler, rssMb } from '../../lib/rss.js';

export interface TransferReport {
  events: number;
  seconds: number;
  /** RSS after opening the store and a GC, before the first event. */
  beforeMb: number;
  /** Largest RSS sampled while transferring (every 10 ms, and after every batch of the import). */
  peakMb: number;
  samples: number;
  gc: boolean;
}

async function main(): Promise<void> {
  const [direction, url, file] = process.argv.slice(2);
  if ((direction !== 'export' && direction !== 'import') || !url || !file) {
    throw new Error('usage: store-transfer-child.ts export|import <store url> <file>');
  }
  const store = await EventStore.create(url);
  collectGarbage();
  const beforeMb = rssMb();
  const sampler = new RssSampler(10);
  const begin = performance.now();
  let events = 0;
  if (direction === 'export') {
    const lines = exportEvents(store);
    const counted = async function* () {
      for await (const chunk of lines) {
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) events++;
        sampler.sample();
        yield chunk;
      }
    };
    await pipeline(Readable.from(counted()), createWriteStream(file));
    events -= 1; // the header line
  } else {
    const result = await importEvents(store, createReadStream(file, { highWaterMark: 1024 * 1024 }), {
      onProgress: () => sampler.sample(),
    });
    events = result.imported;
  }
  const seconds = (performance.now() - begin) / 1000;
  sampler.stop();
  await store.close();
  const report: TransferReport = { events, seconds, beforeMb, peakMb: sampler.peakMb, samples: sampler.samples, gc: gcAvailable };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
