/**
 * The plain records that cross the storage port: core encodes events into them (validation,
 * upcasting and serialization happen once, here) and adapters store and return them as they are.
 */

/** An event as the store writes it: data and metadata already serialized to JSON text. */
export interface NewEventRecord {
  eventId: string;
  eventType: string;
  schemaVersion: number;
  timestamp: Date;
  /** JSON text. */
  metadata: string;
  /** JSON text. */
  data: string;
}

/** An event as the store returns it. */
export interface EventRecord extends NewEventRecord {
  aggregateId: string;
  aggregateType: string;
  aggregateVersion: number;
  globalPosition: bigint;
}
