import { checkOptionsObject, checkPositiveInteger } from '../core/checks.js';
import { ImportConflictError, ImportFormatError, InvalidArgumentError } from '../core/errors.js';
import type { EventRecord } from '../store/event-log.js';
import type { EventStore } from './event-store.js';
import { parseEventLine, parseHeader, type ExportHeader } from './event-lines.js';

/** How far an import got; passed to `onProgress` after each batch. */
export interface ImportProgress {
  /** Events read from the input so far. */
  events: number;
  /** Of those, events written. */
  imported: number;
  /** Of those, events already stored (same id at the same position) and left as they were. */
  skipped: number;
  /** Bytes of input read so far (when the input gives bytes or strings). */
  bytes: number;
}

export interface ImportOptions {
  /** Events per transaction; default 1000. */
  batchSize?: number;
  /** Called after each batch commits. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportResult extends ImportProgress {
  /** The export's header line. */
  header: ExportHeader;
  /** Position of the last event read; `0n` when the file held none. */
  lastPosition: bigint;
}

/** What an import reads: a file or stdin stream, or any iterable of text or bytes in chunks of any size (lines end in `\n`), such as `exportEvents(source)`. */
export type ImportInput = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Loads an export (`exportEvents`, `eventuali export`) into a store, keeping every event's id,
 * stream, version, type, data, metadata, timestamp and global position, and the log's order, in
 * batches of one transaction each. Into an empty store (or, for an export made `from` a position,
 * a store whose last position is that one: the rest of a log copied earlier); run again on the same file, it adds
 * nothing (events stored with the same id at the same position are skipped), so an interrupted
 * import resumes by running it again. An event another event is in the way of throws
 * `ImportConflictError`; a line that is not an exported event throws `ImportFormatError` naming the
 * line; either way nothing of that batch is written (earlier batches stay).
 *
 * The import writes stored records as they are: it runs no inline projection and publishes to no
 * streamer. Durable subscriptions and projections read the log, so they see imported events.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const result = await importEvents(store, createReadStream('events.ndjson'));
 * console.log(`${result.imported} imported, ${result.skipped} already there`);
 */
export async function importEvents(store: EventStore, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  checkOptionsObject('import options', options);
  const batchSize = options.batchSize ?? 1000;
  checkPositiveInteger('batchSize', batchSize, { max: 100_000 });
  const adapter = store.adapter;
  const importBatch = adapter.importEvents?.bind(adapter);
  if (!importBatch) throw new InvalidArgumentError('store', 'its storage adapter cannot import events (it has no importEvents)');

  const progress: ImportProgress = { events: 0, imported: 0, skipped: 0, bytes: 0 };
  let header: ExportHeader | undefined;
  let batch: EventRecord[] = [];
  let checkedStore = false;
  let lastPosition = 0n;

  const write = async (records: EventRecord[]): Promise<void> => {
    if (!checkedStore) {
      await checkStoreFits(store, records[0] as EventRecord, header as ExportHeader);
      checkedStore = true;
    }
    const done = await importBatch(records);
    adapter.notifyCommitted?.();
    progress.imported += done.imported;
    progress.skipped += done.skipped;
    options.onProgress?.({ ...progress });
  };
  // One batch is written while the next one is read and parsed; batches still commit one after
  // the other, in the file's order.
  let inFlight: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    await inFlight;
    inFlight = write(records);
    inFlight.catch(() => undefined); // awaited before the next batch, or at the end
  };

  let lineNumber = 0;
  try {
    for await (const line of lines(input, progress)) {
      lineNumber++;
      if (line.trim() === '') continue;
      if (!header) {
        header = parseHeader(line, lineNumber);
        continue;
      }
      const record = parseEventLine(line, lineNumber);
      // A batch is one run of increasing positions: where the log's order went back (PostgreSQL
      // commits out of numeric order), a new transaction keeps that order on PostgreSQL.
      const previous = batch.at(-1);
      if (batch.length >= batchSize || (previous && record.globalPosition <= previous.globalPosition)) await flush();
      batch.push(record);
      progress.events++;
      lastPosition = record.globalPosition;
    }
    if (!header) throw new ImportFormatError(Math.max(1, lineNumber), 'the input is empty: an export starts with its header line');
    await flush();
  } finally {
    // The batch in flight settles before the import returns or throws; its error, earlier in the
    // file, is the one thrown.
    await inFlight;
  }
  return { ...progress, header, lastPosition };
}

/**
 * Before the first write: an empty store fits; a store that holds events fits when its last
 * position is where the export began (`export --from`: the rest of a log copied earlier), or when
 * it holds this file's first event at its position (an import run again, or resumed).
 */
async function checkStoreFits(store: EventStore, first: EventRecord, header: ExportHeader): Promise<void> {
  const adapter = store.adapter;
  const head = await adapter.globalPosition();
  if (head === 0n) return;
  if (header.from !== '0' && String(head) === header.from) return;
  const [stored] = await adapter.readEvents([first.eventId]);
  if (stored?.globalPosition === first.globalPosition) return;
  throw new ImportConflictError(
    first.globalPosition,
    first.eventId,
    `the store holds events up to position ${head}, and not this file's first one: import into an empty store, run the same import again, or import an export --from ${head}`,
  );
}

/** The input's lines, without their line ends; counts bytes read into `progress`. */
async function* lines(input: ImportInput, progress: ImportProgress): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    let text: string;
    if (typeof chunk === 'string') {
      text = chunk;
      progress.bytes += Buffer.byteLength(chunk);
    } else {
      text = decoder.decode(chunk, { stream: true });
      progress.bytes += chunk.byteLength;
    }
    rest += text;
    let start = 0;
    for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', start)) {
      yield rest.slice(start, end > start && rest.charCodeAt(end - 1) === 13 ? end - 1 : end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
