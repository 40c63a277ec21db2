// docs/observability.md, "Library options".
// #region imports
import { EventStore, defineEvent, type Logger } from '../../src/index.js';
import { z } from 'zod';
// #endregion

// #region event
const OrderPlaced = defineEvent('DocOrderPlaced', z.object({ total: z.number() }));
// #endregion

// #region options
export async function openObservedStore(url: string, logger: Logger): Promise<EventStore> {
  return EventStore.create(url, {
    logger, // any pino-compatible logger: warn(fields, message), …
    metrics: false, // this service exports no metrics; tracing stays on
  });
}
// #endregion

// #region logger
/** A logger without pino: one JSON line per entry on stderr. */
export const jsonLogger: Logger = {
  debug: (fields, message) => console.error(JSON.stringify({ level: 'debug', message, ...fields })),
  info: (fields, message) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (fields, message) => console.error(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
// #endregion

// #region own-spans
/** Code built on the store reports through the store's instrumentation (no-ops without a provider). */
export function orderPlacer(store: EventStore): (orderId: string, total: number) => Promise<void> {
  const { instrumentation } = store;
  const placed = instrumentation.counter('shop.orders.placed', { unit: '{order}' }); // made once
  return (orderId, total) =>
    instrumentation.span('shop.place_order', { attributes: { 'shop.order.id': orderId } }, async () => {
      await store.append('Order', orderId, 'no-stream', [OrderPlaced.create({ total })]);
      placed.record(1);
    });
}
// #endregion

export async function main(): Promise<string[]> {
  const lines: string[] = [];
  const logger: Logger = { ...jsonLogger, warn: (fields, message) => void lines.push(`${message}`) };
  const store = await openObservedStore('memory:', logger);
  await orderPlacer(store)('order-1', 42);
  const [event] = await store.loadEvents('order-1');
  await store.close();
  // No OpenTelemetry provider is registered here: no span, no trace context in the metadata.
  return [JSON.stringify(event?.metadata), ...lines];
}
