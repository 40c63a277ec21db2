import type { Aggregate } from './aggregate.js';
import type { Event, EventMetadata } from './event.js';

/** Metadata for events caused by `event`: same correlation id, `event` as the cause. */
export function causedBy(event: Event): EventMetadata {
  const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.eventId;
  return { correlationId, causationId: event.eventId };
}

/** Stamps correlation and causation ids on the aggregate's new events that have none. */
export function stampMetadata(aggregate: Aggregate, metadata: EventMetadata): void {
  for (const event of aggregate.getUncommittedEvents()) {
    if (event.metadata.correlationId === undefined) event.metadata = { ...metadata, ...event.metadata };
  }
}
