/**
 * Takes the screenshots of docs/inspector.md: one per page, over a seeded SQLite store
 * (test/inspector/seed-store.ts) with a few bursts of events for the chart, in Debian's chromium.
 *
 *   npx tsx scripts/inspector-screenshots.ts     writes docs/images/inspector-<page>.png
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore } from '../src/index.js';
import { createInspector } from '../src/inspector.js';
import { launchChromium } from '../test/inspector/browser.js';
import { OrderPlaced, OrderShipped, seedStore } from '../test/inspector/seed-store.js';
import { serve } from '../test/inspector/serve.js';

const OUT = join(import.meta.dirname, '../docs/images');
const dir = mkdtempSync(join(tmpdir(), 'eventuali-screenshots-'));
const store = await EventStore.create(`sqlite://${join(dir, 'events.db')}`);
try {
  const seeded = await seedStore(store);
  // Bursts over half a minute, so the events/s chart has something to show.
  for (let burst = 0; burst < 4; burst++) {
    for (let i = 0; i < 15 + burst * 12; i++) {
      const id = `order-b${burst}-${i}`;
      await store.append('Order', id, 'no-stream', [OrderPlaced.create({ orderId: id, note: 'burst' }), OrderShipped.create({ orderId: id })]);
    }
    await sleep(10_000);
  }
  const served = await serve(createInspector(store, { basePath: '/inspector', subscriptions: [seeded.emails, seeded.reports], allowWrites: true }));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 760 });
    const shots: [name: string, path: string][] = [
      ['overview', '/'],
      ['streams', '/streams?type=Order'],
      ['event', `/events/${seeded.shippedEventId}`],
      ['tail', '/tail'],
      ['dead-letters', '/dead-letters'],
      ['sagas', '/sagas'],
      ['saga', `/sagas/${seeded.sagaId}`],
    ];
    for (const [name, path] of shots) {
      await page.goto(`${served.origin}/inspector${path}`, { waitUntil: 'load' });
      if (name === 'tail') await page.waitForFunction("document.getElementById('tail-status')?.textContent?.startsWith('live')");
      await page.screenshot({ path: join(OUT, `inspector-${name}.png`) as `${string}.png` });
      console.log(`docs/images/inspector-${name}.png`);
    }
  } finally {
    await browser.close();
    await served.close();
    await seeded.close();
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
