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

/**
 * Asks the subscription to replay the chosen dead letters: its running instance (in the process
 * that has the handler) hands them to the handler once more within about a second, or when it
 * next starts. Resolves with the letters marked.
 */
export async function requestDeadLetterReplay(store: EventStore, subscriptionId: string, ids: readonly string[] | 'all'): Promise<DeadLetterRecord[]> {
  const requests = store.adapter.replayRequests;
  if (!requests) throw new InvalidArgumentError('store', 'its adapter cannot keep replay requests (StorageAdapter.replayRequests)');
  const letters = await selectDeadLetters(store, subscriptionId, ids);
  if (letters.length === 0) return [];
  const marked = new Set(await requests.requestReplay(subscriptionId, letters.map((l) => l.id)));
  return letters.filter((l) => marked.has(l.id));
}

/** Where requested replays stand: handled ones have left the table, failed ones stay parked without a mark. */
export async function replayProgress(
  store: EventStore,
  subscriptionId: string,
  requested: readonly DeadLetterRecord[],
): Promise<{ pending: string[]; handled: string[]; failed: string[] }> {
  const parked = new Set((await listDeadLetters(store, subscriptionId)).map((l) => l.id));
  const marked = new Set((await store.adapter.replayRequests?.replayRequests(subscriptionId))?.map((l) => l.id) ?? []);
  const out = { pending: [] as string[], handled: [] as string[], failed: [] as string[] };
  for (const { id } of requested) (parked.has(id) ? (marked.has(id) ? out.pending : out.failed) : out.handled).push(id);
  return out;
}
