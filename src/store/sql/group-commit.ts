import { isEventualiError } from '../../core/errors.js';
import type { AppendBatch, EventRecord } from '../event-log.js';
import type { GroupCommitSettings } from './group-commit-options.js';

/**
 * Group commit: the appends one process makes at the same time share one transaction, so they
 * pay one commit (one fsync on SQLite, one round trip and one WAL flush on PostgreSQL) instead of
 * one each.
 *
 * Leader and followers. An append that finds no commit in flight is the leader: it commits at
 * once, alone (a single caller pays no delay, unless `maxDelayMs` asks the leader to wait for
 * company). Appends that arrive while a commit is in flight queue up and form the next group, up
 * to `maxBatch`; it starts as soon as the commit in flight ends. After a group of several, the
 * committer yields one turn of the event loop before it takes the next group, so the callers it
 * just answered (whose next appends are a few promise hops away) join it instead of one of them
 * committing alone. On SQLite one group is in flight at a time (one writer); on PostgreSQL up to
 * a few (`lanes`), each on its own pooled connection.
 *
 * What each caller sees. Every caller is answered only after the shared commit: its records, or
 * its own error. The adapter's group writer (`sqlite-group-append.ts`, `postgres-group-append.ts`)
 * keeps one batch's conflict (a stale expected version, a lost race, a duplicate id, another
 * aggregate type) to that caller alone: a savepoint per batch on SQLite, a check per batch inside
 * the one statement on PostgreSQL. Any other failure fails the group: nothing of it is written
 * and every caller gets the error. Idempotent retries (event ids already stored) return the
 * stored records, as without group commit.
 *
 * Readers. One group is one transaction, so its events become visible together, at commit: on
 * SQLite rowid order is still commit order; on PostgreSQL the rows share one transaction id, which
 * is what `readAll`'s cut orders and waits on (`postgres-statements.ts`, VISIBLE). No reader skips
 * a committed event.
 *
 * What bypasses it. `transaction(fn)` appends (and so saves with inline projections, which run in
 * a transaction) commit with their own transaction, as before; empty batches only check the
 * stream and never wait for a group.
 */

/** What one batch of a group came to: its stored records, or the error its caller gets. */
export type GroupOutcome = { readonly records: EventRecord[] } | { readonly error: unknown };

/**
 * Writes a group in one transaction and returns one outcome per batch, in order. Throws when the
 * group as a whole failed (nothing of it written): every caller then gets that error.
 */
export type GroupWriter = (batches: readonly AppendBatch[]) => Promise<GroupOutcome[]> | GroupOutcome[];

/**
 * True for the errors that refuse one batch and leave the rest of its group to commit: a stale
 * expected version or lost race, an event id already stored, an aggregate of another type.
 */
export function isBatchRefusal(error: unknown): boolean {
  return (
    isEventualiError(error, 'CONCURRENCY_CONFLICT') ||
    isEventualiError(error, 'DUPLICATE_EVENT') ||
    isEventualiError(error, 'AGGREGATE_TYPE_MISMATCH')
  );
}

interface Waiter {
  readonly batch: AppendBatch;
  readonly resolve: (records: EventRecord[]) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitterInit {
  readonly settings: GroupCommitSettings;
  readonly write: GroupWriter;
  /**
   * Keep two batches of one aggregate (or with a shared event id) out of one group: the second
   * waits for the next. For writers whose checks read the state before the whole group (one
   * statement on PostgreSQL).
   */
  readonly distinctStreams: boolean;
  /** Groups written at once (default 1): more for a pool, whose connections commit in parallel. */
  readonly lanes?: number;
}

/** @internal gathers concurrent appends into groups and hands each to the adapter's group writer. */
export class GroupCommitter {
  readonly #settings: GroupCommitSettings;
  readonly #write: GroupWriter;
  readonly #distinct: boolean;
  readonly #lanes: number;
  #queue: Waiter[] = [];
  /** Leaders at work: each writes a group, or waits for one to gather. */
  #leaders = 0;
  #idle: (() => void)[] = [];
  /** The leader waiting out `maxDelayMs`, woken early once `maxBatch` appends queued. */
  #wakeLeader: (() => void) | undefined;

  constructor(init: GroupCommitterInit) {
    this.#settings = init.settings;
    this.#write = init.write;
    this.#distinct = init.distinctStreams;
    this.#lanes = init.lanes ?? 1;
  }

  /** Appends `batch` with the next group; resolves after that group committed. */
  append(batch: AppendBatch): Promise<EventRecord[]> {
    return new Promise<EventRecord[]>((resolve, reject) => {
      this.#queue.push({ batch, resolve, reject });
      // A leader gathering its group (maxDelayMs) takes this append; else a free lane starts one.
      if (this.#wakeLeader || this.#leaders >= this.#lanes) {
        if (this.#wakeLeader && this.#queue.length >= this.#settings.maxBatch) this.#wakeLeader();
        return;
      }
      this.#leaders++;
      void this.#lead();
    });
  }

  /** Resolves once no append is queued or being written; a leader waiting for company goes at once. */
  idle(): Promise<void> {
    this.#wakeLeader?.();
    if (this.#leaders === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #lead(): Promise<void> {
    if (this.#settings.maxDelayMs > 0 && this.#queue.length < this.#settings.maxBatch) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#settings.maxDelayMs);
        this.#wakeLeader = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeLeader = undefined;
    }
    let last = 0;
    for (;;) {
      if (last > 1) {
        // The callers just answered are a few promise hops from their next append: let them join
        // the next group, or the group would go without them and they would form the one after
        // (groups of 1 and n - 1 in turn, instead of n).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (this.#queue.length === 0) break;
      const group = this.#take();
      last = group.length;
      await this.#commit(group);
    }
    if (--this.#leaders === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** The next group: the oldest appends, up to maxBatch, one per stream when asked. */
  #take(): Waiter[] {
    const max = this.#settings.maxBatch;
    if (!this.#distinct) return this.#queue.splice(0, max);
    const group: Waiter[] = [];
    const rest: Waiter[] = [];
    const streams = new Set<string>();
    const ids = new Set<string>();
    for (const waiter of this.#queue) {
      const { batch } = waiter;
      if (group.length >= max || streams.has(batch.aggregateId) || batch.events.some((e) => ids.has(e.eventId))) {
        // Later batches of a deferred stream wait too, so one stream's appends keep their order.
        streams.add(batch.aggregateId);
        rest.push(waiter);
        continue;
      }
      streams.add(batch.aggregateId);
      for (const event of batch.events) ids.add(event.eventId);
      group.push(waiter);
    }
    this.#queue = rest;
    return group;
  }

  async #commit(group: readonly Waiter[]): Promise<void> {
    let outcomes: GroupOutcome[];
    try {
      outcomes = await this.#write(group.map((waiter) => waiter.batch));
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
      return;
    }
    group.forEach((waiter, i) => {
      // The writer returns one outcome per batch, in order.
      const outcome = outcomes[i] as GroupOutcome;
      if ('records' in outcome) waiter.resolve(outcome.records);
      else waiter.reject(outcome.error);
    });
  }
}
