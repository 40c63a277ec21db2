import type { EventRecord, ImportedBatch } from '../event-log.js';
import { checkImportOrder, recordsToImport } from '../sql/import-rules.js';
import type { MemoryLog } from './memory-log.js';

/** Imports a batch into the memory log: checked whole first, so a conflict writes nothing. */
export function importInto(log: MemoryLog, records: readonly EventRecord[]): ImportedBatch {
  checkImportOrder(records);
  const stored: EventRecord[] = [];
  for (const record of records) {
    const atPosition = log.atPosition(record.globalPosition);
    if (atPosition) stored.push(atPosition);
    const sameId = log.ids.get(record.eventId);
    if (sameId) stored.push(sameId);
    const stream = log.streams.get(record.aggregateId);
    const sameVersion = stream?.find((r) => r.aggregateVersion === record.aggregateVersion);
    if (sameVersion) stored.push(sameVersion);
  }
  const toWrite = recordsToImport(records, stored);
  for (const record of toWrite) log.place({ ...record });
  return { imported: toWrite.length, skipped: records.length - toWrite.length };
}
