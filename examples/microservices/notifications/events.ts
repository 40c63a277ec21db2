import { z } from 'zod';
import { defineEvent } from '../shared/eventuali.js';

/** A notification was sent (the example "sends" by logging) because of another service's event. */
export const NotificationSent = defineEvent(
  'NotificationSent',
  z.object({
    notificationId: z.string(),
    recipient: z.string(),
    type: z.string(),
    message: z.string(),
    channel: z.enum(['email']),
    sourceEventId: z.string(),
    sourceEventType: z.string(),
  }),
);

export const NOTIFICATION_EVENTS = [NotificationSent] as const;
