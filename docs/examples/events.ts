// docs/events.md: creating, checking and storing events (defined in order-events.ts).
// #region imports
import { EventStore, EventValidationError, type Event } from '../../src/index.js';
import { OrderCancelled, OrderPlaced } from './order-events.js';
// #endregion

// #region create
export function placeOrder(orderId: string, customerId: string, correlationId: string) {
  // Validates against the schema (EventValidationError on bad data) and gives the event a UUID.
  return OrderPlaced.create(
    {
      orderId,
      customerId,
      totalCents: 3050n,
      placedAt: new Date(),
      items: [{ productId: 'p-1', quantity: 2 }],
    },
    { metadata: { correlationId, userId: customerId } },
  );
}
// #endregion

// #region validation
export function invalidFields(): string[] {
  try {
    OrderPlaced.create({ orderId: 'o-1', customerId: '', totalCents: -1n, placedAt: new Date(), items: [] });
    return [];
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    // error.code === 'EVENT_VALIDATION'; error.eventType === 'OrderPlaced'
    return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  }
}
// #endregion

// #region is
export function describeEvent(event: Event): string {
  if (OrderPlaced.is(event)) return `order ${event.data.orderId}: ${event.data.items.length} item(s)`;
  if (OrderCancelled.is(event)) return `order ${event.data.orderId} cancelled: ${event.data.reason}`;
  return event.eventType;
}
// #endregion

// #region append
export async function recordOrder(store: EventStore, orderId: string) {
  const placed = placeOrder(orderId, 'c-7', 'request-1');
  // Events without an Aggregate class: name the aggregate type, id and expected version yourself.
  await store.append('Order', orderId, 'no-stream', [placed]);
  const cancelled = OrderCancelled.create(
    { orderId, reason: 'customer asked' },
    // Keep the correlation id (and user id); the causation id names the event that led to this one.
    { metadata: { ...placed.metadata, causationId: placed.eventId } },
  );
  await store.append('Order', orderId, 1, [cancelled]);
  return store.loadEvents(orderId);
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    const events = await recordOrder(store, 'o-1');
    const [placed] = events;
    if (!placed || !OrderPlaced.is(placed)) throw new Error('expected OrderPlaced first');
    return {
      descriptions: events.map(describeEvent),
      placedAtIsDate: placed.data.placedAt instanceof Date,
      totalCents: placed.data.totalCents,
      causationId: events[1]?.metadata.causationId === placed.eventId,
      invalid: invalidFields(),
    };
  } finally {
    await store.close();
  }
}
