import { causedBy } from '../core/causation.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Event } from '../core/event.js';
import type { ProjectionSession } from '../store/coordination.js';
import type { StorageSession } from '../store/event-log.js';
import type { Projection } from './projection.js';

/**
 * Runs inline projections over the events just appended, inside the append's transaction: the read
 * model commits with the events, or neither does.
 */
export async function runInlineProjections(
  projections: readonly Projection[],
  session: StorageSession & Partial<ProjectionSession>,
  events: readonly Event[],
): Promise<void> {
  const { query, client, documents } = session;
  if (!query) throw new InvalidArgumentError('inline projection', 'needs a transaction: save through the store, not the adapter');
  for (const projection of projections) {
    for (const event of events) {
      const handler = projection.handlerFor(event.eventType);
      if (!handler) continue;
      await handler(event, {
        subscriptionId: projection.name,
        attempt: 1,
        metadata: causedBy(event),
        save: () => Promise.reject(new InvalidArgumentError('ctx.save', 'is not available in an inline projection')),
        query,
        client: client ?? null,
        documents,
      });
    }
  }
}
