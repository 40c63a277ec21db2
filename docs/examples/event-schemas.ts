// docs/events.md: typed, validated metadata.
// #region metadata
import { z } from 'zod';
import { EventStore, EventValidationError, defineEvent, type EventOf } from '../../src/index.js';

export const CartOpened = defineEvent('CartOpened', z.object({ cartId: z.string() }), {
  // Checked on create() and on read; types event.metadata. Unknown keys pass (z.object, not z.strictObject).
  metadata: z.object({ clientId: z.string().min(1), channel: z.enum(['web', 'app']).default('web') }),
});

export function describeOpening(event: EventOf<typeof CartOpened>): string {
  // clientId: string, channel: 'web' | 'app'; correlationId, causationId and userId are still there.
  return `${event.data.cartId} opened by ${event.metadata.clientId} (${event.metadata.channel}), request ${event.metadata.correlationId ?? '-'}`;
}

export function openCart(cartId: string, clientId: string, correlationId: string) {
  return CartOpened.create({ cartId }, { metadata: { clientId, correlationId } });
}

export function refusedMetadata(): string | undefined {
  try {
    CartOpened.create({ cartId: 'c-2' }, { metadata: { clientId: '' } });
    return undefined;
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return `${error.part}: ${error.issues.map((issue) => issue.path.join('.')).join(', ')}`; // 'metadata: clientId'
  }
}
// #endregion


export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    await store.append('Cart', 'c-1', 'no-stream', [openCart('c-1', 'client-7', 'request-1')]);
    const [opened] = await store.loadEvents('c-1');
    return { opening: opened && CartOpened.is(opened) ? describeOpening(opened) : undefined, refused: refusedMetadata() };
  } finally {
    await store.close();
  }
}
