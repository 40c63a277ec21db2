import type { Event } from '../../core/event.js';
import type { EventRecord } from '../../store/event-log.js';
import type { DeadLetterRecord, LeaseFence } from '../../store/coordination.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';

/** What became of one event. */
export type DeliveryOutcome =
  | { kind: 'handled' }
  | { kind: 'dead-lettered'; record: DeadLetterRecord }
  /** Gave up, and the subscription's `onError` is 'stop'. */
  | { kind: 'stop'; error: Error }
  /** Gave up, and parking was not asked for (a dead-letter replay). */
  | { kind: 'failed'; error: Error }
  /** stop() was called while the event waited for a retry: it is not handled. */
  | { kind: 'stopping' };

/** How one delivery treats a failure: retries or not, parks or not. Omitted: the subscription's policy. */
export interface DeliveryMode {
  retries: boolean;
  park: boolean;
}

/** What an error report carries to the subscription's 'error' listeners. */
export interface ErrorInfo {
  event?: Event;
  attempt?: number;
  willRetry: boolean;
}

/**
 * What one durable subscription's parts share (batch delivery, retries, dead-letter replay, a
 * projection's transactions). The subscription builds it over its private state and passes it
 * in: the parts never reach back into the subscription class.
 */
export interface DeliveryContext {
  readonly id: string;
  readonly options: ResolvedSubscriptionOptions;
  readonly host: SubscriptionHost;
  /** The lease this instance must hold for a checkpoint to count. */
  readonly fence: LeaseFence;
  /** stop() was called: deliver no further event. */
  isStopping(): boolean;
  /** Aborted when stop() is called: for a wait that should end at once then. */
  stopSignal(): AbortSignal;
  /** Delivers one event with the subscription's retry policy (or `mode`); no promise when the handler returned none. */
  deliver(record: EventRecord, mode?: DeliveryMode): DeliveryOutcome | Promise<DeliveryOutcome>;
  /** Records events up to `position` as handled; the loop stores the checkpoint for them. */
  handled(position: bigint): void;
  /** Stores the checkpoint now, fenced by this instance's lease. */
  checkpoint(position: bigint): Promise<void>;
  /** Records a checkpoint written by the caller inside its own transaction. */
  checkpointed(position: bigint): void;
  reportError(error: Error, info: ErrorInfo): void;
  reportDeadLetter(record: DeadLetterRecord): void;
}

/**
 * Delivers one read page, recording what it handled through `ctx.handled()` or
 * `ctx.checkpointed()` as it goes (so a failure midway keeps what was handled before it).
 */
export type BatchDelivery = (records: readonly EventRecord[], ctx: DeliveryContext) => Promise<void>;

/** Runs the handler (or a projection's transaction) for one event: a value when it finished synchronously, or a promise. */
export type Invoke = (event: Event, attempt: number) => unknown;

/** How a kind of subscription delivers (a projection runs its handlers in transactions); each part optional. */
export interface DeliveryPlan {
  /** What its spans and metrics call it (default 'subscription'). */
  kind?: 'projection';
  deliverBatch?: BatchDelivery;
  invoke?: Invoke;
  /** Runs once each time this instance becomes active, before reading (a projection's setup). */
  beforeFollow?: () => Promise<void>;
}
