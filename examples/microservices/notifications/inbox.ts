import { randomUUID } from 'node:crypto';
import { Aggregate, type EventOf } from '../shared/eventuali.js';
import { NotificationSent } from './events.js';

export const inboxStreamId = (recipient: string): string => `notifications:${recipient}`;

export interface Notification {
  id: string;
  recipient: string;
  type: string;
  message: string;
  eventId: string;
  createdAt: Date;
}

export interface NotificationDraft {
  recipient: string;
  type: string;
  message: string;
}

/** The notifications sent to one recipient; each source event notifies once. */
export class NotificationInbox extends Aggregate {
  static override readonly aggregateType = 'NotificationInbox';

  notifications: Notification[] = [];

  /** Whether the event already caused a notification here (a subscription delivers at least once). */
  hasNotified(sourceEventId: string): boolean {
    return this.notifications.some((n) => n.eventId === sourceEventId);
  }

  send(draft: NotificationDraft, source: { eventId: string; eventType: string }): void {
    if (this.hasNotified(source.eventId)) return;
    this.apply(
      NotificationSent.create({
        notificationId: randomUUID(),
        ...draft,
        channel: 'email',
        sourceEventId: source.eventId,
        sourceEventType: source.eventType,
      }),
    );
  }

  applyNotificationSent(event: EventOf<typeof NotificationSent>): void {
    this.notifications.push({
      id: event.data.notificationId,
      recipient: event.data.recipient,
      type: event.data.type,
      message: event.data.message,
      eventId: event.data.sourceEventId,
      createdAt: event.timestamp,
    });
  }
}
