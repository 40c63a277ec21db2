// #region imports
import type { ServiceKit } from '../shared/service-kit.js';
import { NotificationInbox, inboxStreamId } from './inbox.js';
import { NOTIFYING_EVENTS, NotificationComposer } from './messages.js';
// #endregion

/**
 * Records (and "sends", by logging) a notification for each user and order event, through a
 * durable subscription on the shared store. At least once: a redelivered event finds its
 * notification already in the inbox. ctx.save stamps the source event's correlation id on it.
 */
// #region notifier
export function sendNotifications(kit: ServiceKit) {
  const composer = new NotificationComposer(kit.store);
  return kit.subscribe({
    id: 'notification-service.notifier',
    eventTypes: NOTIFYING_EVENTS,
    handle: async (event, ctx) => {
      const draft = await composer.compose(event);
      if (draft === null) return;
      const streamId = inboxStreamId(draft.recipient);
      const inbox = (await kit.store.load(NotificationInbox, streamId)) ?? new NotificationInbox(streamId);
      if (inbox.hasNotified(event.eventId)) return;
      inbox.send(draft, event);
      await ctx.save(inbox);
      kit.log.info(
        { recipient: draft.recipient, type: draft.type, correlation_id: ctx.metadata.correlationId, source_event: event.eventType },
        `notification sent: ${draft.message}`,
      );
    },
  });
}
// #endregion
