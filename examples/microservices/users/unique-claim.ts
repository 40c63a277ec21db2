// #region imports
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Aggregate, defineEvent, isEventualiError, type EventMetadata, type EventOf, type EventStore, type Transaction } from '../shared/eventuali.js';
import { DomainRuleError } from '../shared/domain-error.js';
// #endregion

/**
 * "No two users share a username or an email" is a rule over the set of all users, which no single
 * User stream can check. Each value gets a stream of its own, the claim, written in the same
 * transaction as the user's events: whoever creates it first owns the value, and the store's
 * expected-version check turns a second writer into a ConcurrencyError. Nothing else (no unique
 * index, no lock) is needed, on SQLite and PostgreSQL alike.
 */

// #region claim-events
export const UniqueValueClaimed = defineEvent(
  'UniqueValueClaimed',
  z.object({ kind: z.enum(['username', 'email']), value: z.string(), userId: z.string() }),
);

export const UniqueValueReleased = defineEvent(
  'UniqueValueReleased',
  z.object({ kind: z.enum(['username', 'email']), value: z.string(), userId: z.string() }),
);
// #endregion

// #region claim-model
export type ClaimKind = 'username' | 'email';

/** The form two values must share to count as the same: `Bob` and `bob`, `Bob@Example.com` and `bob@example.com`. */
export function normalizedValue(kind: ClaimKind, value: string): string {
  const trimmed = value.trim();
  return kind === 'username' ? trimmed.normalize('NFKC').toLowerCase() : trimmed.normalize('NFC').toLowerCase();
}

/** The claim stream's id: a hash of the normalized value, so any value fits the store's id rules. */
export function claimId(kind: ClaimKind, value: string): string {
  return `${kind}:${createHash('sha256').update(normalizedValue(kind, value)).digest('base64url')}`;
}

/** A unique value (one username, one email): owned by at most one user at a time. */
export class UniqueClaim extends Aggregate {
  static override readonly aggregateType = 'UniqueClaim';

  owner: string | null = null;

  claim(kind: ClaimKind, value: string, userId: string, metadata: EventMetadata = {}): void {
    if (this.owner === userId) return;
    if (this.owner !== null) throw new DomainRuleError(`That ${kind} is already taken`, `${kind}_taken`);
    this.apply(UniqueValueClaimed.create({ kind, value, userId }, { metadata }));
  }

  release(kind: ClaimKind, value: string, userId: string, metadata: EventMetadata = {}): void {
    if (this.owner !== userId) return;
    this.apply(UniqueValueReleased.create({ kind, value, userId }, { metadata }));
  }

  applyUniqueValueClaimed(event: EventOf<typeof UniqueValueClaimed>): void {
    this.owner = event.data.userId;
  }

  applyUniqueValueReleased(): void {
    this.owner = null;
  }
}
// #endregion

// #region claims
/**
 * Claims `value` for the user inside `tx`: a new claim stream is saved at expected version 0 (no
 * stream), a released one at the version it was read at. Throws DomainRuleError (409
 * `username_taken` / `email_taken`) when another user owns it; a concurrent claim of the same
 * value makes the transaction fail with ConcurrencyError (see `transactionWithRetry`).
 */
export async function claimValue(tx: Transaction, kind: ClaimKind, value: string, userId: string, metadata: EventMetadata): Promise<void> {
  const id = claimId(kind, value);
  const claim = (await tx.load(UniqueClaim, id)) ?? new UniqueClaim(id);
  claim.claim(kind, value, userId, metadata);
  if (claim.getUncommittedEvents().length > 0) await tx.save(claim);
}

/** Gives `value` back (the user changed it), so another user can claim it. */
export async function releaseValue(tx: Transaction, kind: ClaimKind, value: string, userId: string, metadata: EventMetadata): Promise<void> {
  const claim = await tx.load(UniqueClaim, claimId(kind, value));
  if (!claim) return; // claimed before claims existed: nothing to give back
  claim.release(kind, value, userId, metadata);
  if (claim.getUncommittedEvents().length > 0) await tx.save(claim);
}

/**
 * Runs `fn` in a transaction, again (at most `attempts` times in all) when it lost a race: the
 * second run reads the winner's claim and throws the `…_taken` DomainRuleError, or, when the race
 * was on the user's own stream, runs the command on its new state.
 */
export async function transactionWithRetry<T>(store: EventStore, fn: (tx: Transaction) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction(fn);
    } catch (error) {
      if (!isEventualiError(error, 'CONCURRENCY_CONFLICT') || attempt >= attempts) throw error;
    }
  }
}
// #endregion
