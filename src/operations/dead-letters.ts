import { InvalidArgumentError } from '../core/errors.js';
import type { EventStore } from '../event-store/event-store.js';
import type { DeadLetterRecord } from '../store/coordination.js';

/** The subscription's dead letters, oldest first. */
export function listDeadLetters(store: EventStore, subscriptionId: string): Promise<DeadLetterRecord[]> {
  return store.adapter.listDeadLetters(subscriptionId);
}

/**
 * The subscription's dead letters named by `ids` (every one with `'all'`), or an
 * `InvalidArgumentError` naming an id the subscription has no dead letter for (nothing is changed then).
 */
export async function selectDeadLetters(store: EventStore, subscriptionId: string, ids: readonly string[] | 'all'): Promise<DeadLetterRecord[]> {
  const letters = await listDeadLetters(store, subscriptionId);
  if (ids === 'all') return letters;
  const byId = new Map(letters.map((l) => [l.id, l]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    throw new InvalidArgumentError('dead letter id', `subscription ${JSON.stringify(subscriptionId)} has no dead letter ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  return [...new Set(ids)].map((id) => byId.get(id) as DeadLetterRecord);
}

/** Deletes the chosen dead letters without handling them again; resolves with those deleted. */
export async function discardDeadLetters(store: EventStore, subscriptionId: string, ids: readonly string[] | 'all'): Promise<DeadLetterRecord[]> {
  const letters = await selectDeadLetters(store, subscriptionId, ids);
  for (const letter of letters) await store.adapter.deleteDeadLetter(letter.id);
  return letters;
}
