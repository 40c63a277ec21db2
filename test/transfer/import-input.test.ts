import { describe, expect, it } from 'vitest';
import { EventStore, exportEvents, importEvents } from '../../src/index.js';
import { collect, Deposited, everything, Opened } from './transfer-suite.js';

async function storeWithText(): Promise<EventStore> {
  const store = (await EventStore.create('memory:')).register(Opened, Deposited);
  await store.append('Account', 'ä-1', 'no-stream', [
    Opened.create({ owner: 'Zoë 😀 \u2028 "quoted"\n', openedAt: new Date(Date.UTC(2024, 0, 1)), limit: 7n }),
  ]);
  await store.append('Account', 'ä-1', 1, [Deposited.create({ amount: 1.5 })]);
  return store;
}

describe('importEvents input', () => {
  it('reads bytes cut anywhere (inside a UTF-8 character too) and CRLF line ends', async () => {
    const source = await storeWithText();
    const text = (await collect(exportEvents(source))).replaceAll('\n', '\r\n');
    const bytes = Buffer.from(text);
    const chunks = function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    };
    const target = (await EventStore.create('memory:')).register(Opened, Deposited);
    const result = await importEvents(target, chunks());
    expect(result).toMatchObject({ events: 2, imported: 2, bytes: bytes.length, lastPosition: 2n });
    expect(await everything(target)).toEqual(await everything(source));
  });

  it('refuses a store whose adapter cannot import, and bad options, before reading', async () => {
    const store = await storeWithText();
    // An adapter of your own without the import port (the check comes before any call to it).
    const adapter = new Proxy(store.adapter, { get: (target, key) => (key === 'importEvents' ? undefined : Reflect.get(target, key)) });
    const noImport = new EventStore(adapter);
    await expect(importEvents(noImport, [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(importEvents(store, [], { batchSize: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
