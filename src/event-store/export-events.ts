import { checkOptionsObject, checkPositiveInteger } from '../core/checks.js';
import { InvalidArgumentError } from '../core/errors.js';
import { MAX_GLOBAL_POSITION } from '../core/limits.js';
import type { EventStore } from './event-store.js';
import { eventLine, headerLine } from './event-lines.js';

export interface ExportOptions {
  /** Export the events after this position (a position this store returned); default `0n`, the whole log. */
  from?: bigint;
  /** Events read per page (memory stays bounded by one page); default 1000. */
  pageSize?: number;
}

/**
 * The store's log as NDJSON lines (each ending in `\n`): a header line, then one line per event
 * in log order with every envelope field, data and metadata as stored (see `docs/store-transfer.md`).
 * The export stops at the position the store had when it began, and reads one page at a time.
 * Events need no registered definitions: they are copied as stored, not decoded.
 *
 * @example
 * import { createWriteStream } from 'node:fs';
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(Readable.from(exportEvents(store)), createWriteStream('events.ndjson'));
 */
export async function* exportEvents(store: EventStore, options: ExportOptions = {}): AsyncGenerator<string, void, undefined> {
  checkOptionsObject('export options', options);
  const from = options.from ?? 0n;
  if (typeof from !== 'bigint' || from < 0n || from > MAX_GLOBAL_POSITION) {
    throw new InvalidArgumentError('from', `must be a bigint from 0n to ${MAX_GLOBAL_POSITION}n (a position this store returned)`);
  }
  const pageSize = options.pageSize ?? 1000;
  checkPositiveInteger('pageSize', pageSize, { max: 100_000 });
  const adapter = store.adapter;
  const to = await adapter.globalPosition();
  yield `${headerLine(from, to)}\n`;
  if (to === 0n || to === from) return;
  let after = from;
  for (;;) {
    const page = await adapter.readAll({ after, limit: pageSize });
    if (page.length === 0) return;
    let text = '';
    for (const record of page) {
      text += `${eventLine(record)}\n`;
      if (record.globalPosition === to) {
        yield text;
        return;
      }
    }
    yield text;
    after = (page.at(-1) as (typeof page)[number]).globalPosition;
  }
}
