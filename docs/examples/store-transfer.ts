// docs/store-transfer.md, "From code".
// #region imports
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EventStore, exportEvents, importEvents, isEventualiError } from '../../src/index.js';
import { User, userEvents } from './user.js';
// #endregion

// #region to-file
/** Writes the whole log to an NDJSON file, one page of events in memory at a time. */
export async function exportToFile(store: EventStore, path: string): Promise<void> {
  await pipeline(Readable.from(exportEvents(store)), createWriteStream(path));
}

/** Loads the file into an empty store; run again, it adds nothing. */
export async function importFromFile(store: EventStore, path: string): Promise<number> {
  try {
    const result = await importEvents(store, createReadStream(path), {
      onProgress: (p) => console.log(`${p.events} events read, ${p.imported} written`),
    });
    return result.imported;
  } catch (error) {
    // IMPORT_FORMAT names the line; IMPORT_CONFLICT: the store holds other events.
    if (isEventualiError(error, 'IMPORT_FORMAT') || isEventualiError(error, 'IMPORT_CONFLICT')) console.error(error.message);
    throw error;
  }
}
// #endregion

// #region copy
/** Copies one store's log into another, without a file in between. */
export async function copyStore(from: EventStore, to: EventStore): Promise<void> {
  await importEvents(to, exportEvents(from));
}
// #endregion

export async function main(dir: string): Promise<{ imported: number; again: number; same: boolean }> {
  const source = (await EventStore.create(`sqlite://${join(dir, 'old.db')}`)).register(...userEvents);
  const target = (await EventStore.create(`sqlite://${join(dir, 'new.db')}`)).register(...userEvents);
  const copy = (await EventStore.create('memory:')).register(...userEvents);
  try {
    const user = new User('u-1');
    user.register('ann', 'ann@example.com');
    user.changeEmail('ann@example.org');
    await source.save(user);
    const file = join(dir, 'events.ndjson');
    await exportToFile(source, file);
    const imported = await importFromFile(target, file);
    const again = await importFromFile(target, file);
    await copyStore(target, copy);
    const fields = (events: readonly object[]) => JSON.stringify(events, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}` : value));
    const same = fields(await copy.loadEvents('u-1')) === fields(await source.loadEvents('u-1'));
    return { imported, again, same };
  } finally {
    await Promise.all([source.close(), target.close(), copy.close()]);
  }
}
