import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '../shared/eventuali.js';
import { Id, parseInput } from '../shared/validation.js';
import { NotificationInbox, inboxStreamId, type Notification } from './inbox.js';

const Query = z.object({ recipient: Id });

function notificationResponse(n: Notification) {
  return { id: n.id, recipient: n.recipient, type: n.type, message: n.message, event_id: n.eventId, created_at: n.createdAt.toISOString() };
}

/** `GET /notifications?recipient=<user_id>`: the recipient's notifications, oldest first (none yet: an empty list). */
export function registerNotificationRoutes(app: FastifyInstance, store: EventStore): void {
  app.get('/notifications', async (request) => {
    const { recipient } = parseInput(Query, request.query, 'query');
    const inbox = await store.load(NotificationInbox, inboxStreamId(recipient));
    return { recipient, notifications: (inbox?.notifications ?? []).map(notificationResponse) };
  });
}
