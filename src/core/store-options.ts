import type { UnknownEventsPolicy } from './event-registry.js';

/** Options every store takes. */
export interface EventStoreOptions {
  /** Take a snapshot when an aggregate's version crosses a multiple of this number (off by default). */
  snapshotEvery?: number;
  /** `'raw'` returns events of unregistered types with their data undecoded, instead of throwing. */
  unknownEvents?: UnknownEventsPolicy;
  /** Validate stored data against its schema on every read (default true). */
  validateOnRead?: boolean;
  /** Receives what the store cannot throw to a caller, such as a failed snapshot write after a commit. */
  onWarning?: (message: string, error: unknown) => void;
}
