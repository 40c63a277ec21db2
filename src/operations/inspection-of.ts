import { InvalidArgumentError } from '../core/errors.js';
import type { EventStore } from '../event-store/event-store.js';
import type { InspectionStorage } from '../store/inspection.js';

/** The store adapter's operator queries; an adapter built without them is named in the error. */
export function inspectionOf(store: EventStore): InspectionStorage {
  const inspection = store.adapter.inspection;
  if (!inspection) throw new InvalidArgumentError('store', 'its adapter has no operator queries (StorageAdapter.inspection)');
  return inspection;
}
