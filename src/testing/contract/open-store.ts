import type { EventStore } from '../../event-store/event-store.js';
import type { EventStoreOptions } from '../../core/store-options.js';
import type { StorageAdapter } from '../../store/adapter.js';

/** Opens a store over a fresh adapter for one test; the suite closes it after the test. */
export type OpenStore = (options?: EventStoreOptions) => Promise<{ store: EventStore; adapter: StorageAdapter }>;
