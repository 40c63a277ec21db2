// #region imports
import type { ServiceKit } from '../shared/service-kit.js';
import { NotificationInbox, inboxStreamId } from './inbox.js';
import { NOTIFYING_EVENTS, NotificationComposer } from './messages.js';
// #endregion

/**
 * Records (and "sends", by logging) a notification for each user and order event, through a
 * consumer group on the shared store (one instance or several). At least once: a redelivered
 * event finds its notification already in the inbox; two partitions writing one inbox at once
 * conflict, and the loser's retry finds the notification there or appends after the winner.
 * ctx.save stamps the source event's correlation id on it.
 */
// #region notifier
/** Fixed for the life of the group (stored with it): every instance passes the same number. */
export const NOTIFIER_PARTITIONS = 4;

export function sendNotifications(kit: ServiceKit) {
  const composer = new NotificationComposer(kit.store);
  return kit.subscribe({
    id: 'notification-service.notifier',
    // A consumer group: every instance of the service shares the 4 partitions (by aggregate id),
    // so one user's or one order's events are handled in order, by one instance at a time.
    partitions: NOTIFIER_PARTITIONS,
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
