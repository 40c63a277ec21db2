import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import { StoreClosedError } from '../../core/errors.js';
import type { Event } from '../../core/event.js';
import type { DeadLetterRecord } from '../../store/subscription-storage.js';
import type { EventRecord } from '../../store/adapter.js';
import { deliverWithRetries, handlerContext, type DeliveryOutcome, type Invoke } from './deliver.js';
import { deliverEachThenCheckpoint } from './batch-delivery.js';
import { Lease } from './lease.js';
import { LeaseLostError, StopDelivery, SubscriptionError, toError } from './subscription-errors.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';
import { WakeSignal } from './wake-signal.js';

export type SubscriptionState = 'idle' | 'standby' | 'catching-up' | 'live' | 'stopping' | 'stopped' | 'failed';

/** Events a durable subscription emits. Listening is optional: nothing throws for lack of a listener. */
export interface DurableSubscriptionEvents {
  /** This instance took the lease and delivers events. */
  active: [];
  /** This instance lost (or gave up) the lease. */
  inactive: [];
  'caught-up': [{ position: bigint }];
  'fell-behind': [{ position: bigint }];
  /** A handler failed (it will be retried unless `willRetry` is false), or reading failed. */
  error: [error: Error, info: { event?: Event; attempt?: number; willRetry: boolean }];
  'dead-letter': [record: DeadLetterRecord];
  /** Delivery ended: by stop(), or (with `reason`) by a handler failing with `onError: 'stop'`. */
  stopped: [reason?: Error];
}

/** @internal delivers one read page; returns the last position handled and checkpointed. */
export type BatchDelivery = (records: readonly EventRecord[], subscription: DurableSubscription) => Promise<bigint | null>;

const IDLE_POLL_MIN_MS = 5;

/**
 * A durable subscription: catches up from the store, then follows live, storing its checkpoint
 * after each handled batch. At-least-once: after a crash, at most the last batch is delivered again.
 * One instance per id is active across processes (a lease); others wait and take over.
 *
 * @example
 * const sub = store.subscribe({ id: 'mailer', eventTypes: [UserRegistered], handle: sendWelcome });
 * await sub.start();
 * await sub.waitUntilCaughtUp();
 */
export class DurableSubscription extends EventEmitter<DurableSubscriptionEvents> {
  readonly id: string;
  /** Identifies this instance in the lease table. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  #state: SubscriptionState = 'idle';
  #position = 0n;
  #loop: Promise<void> | undefined;
  #stopRequested = false;
  readonly #lease: Lease;
  #cycle = 0;
  #waiters: { afterCycle: number; resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  #unsubscribeHint: (() => void) | undefined;
  readonly #signal = new WakeSignal();

  readonly #invoke: Invoke;
  /** @internal runs once each time this instance becomes active, before reading (projection setup). */
  beforeFollow: (() => Promise<void>) | undefined;

  /** @internal */
  constructor(
    private readonly host: SubscriptionHost,
    readonly options: ResolvedSubscriptionOptions,
    private readonly deliverBatch: BatchDelivery = deliverEachThenCheckpoint,
    invoke?: Invoke,
  ) {
    super();
    this.id = options.id;
    this.#lease = new Lease(host.adapter, `subscription:${options.id}`, this.owner, options.leaseTtlMs, {
      lost: () => this.#becameInactive(),
      error: (error) => this.#emitError(error, { willRetry: true }),
    });
    this.#invoke = invoke ?? (async (event, attempt) => options.handle(event, handlerContext(this.id, event, attempt, host)));
  }

  get state(): SubscriptionState {
    return this.#state;
  }

  /** The position of the last handled (and checkpointed) event; `0n` before the first. */
  get position(): bigint {
    return this.#position;
  }

  /** True while this instance holds the lease. */
  get isActive(): boolean {
    return this.#lease.held;
  }

  /** Begins delivery (waiting for the lease if another instance holds it). Calling it while running does nothing. */
  async start(): Promise<void> {
    if (this.host.isClosed()) throw new StoreClosedError();
    if (this.#loop) return;
    this.#stopRequested = false;
    this.#state = 'standby';
    this.#unsubscribeHint = this.host.onCommit(() => this.#signal.wake());
    this.#loop = this.#run().finally(() => {
      this.#unsubscribeHint?.();
      this.#unsubscribeHint = undefined;
      this.#loop = undefined;
    });
  }

  /** Stops after the event in flight, stores the checkpoint, gives up the lease. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#signal.wake();
    if (this.#state !== 'failed' && this.#state !== 'idle') this.#state = 'stopping';
    await this.#loop;
    if (this.#state === 'stopping') this.#state = 'stopped';
  }

  /**
   * Resolves once this instance has handled every event committed before the call. Rejects after
   * `timeoutMs` (default 30 s), or when the subscription stops or is not started.
   */
  waitUntilCaughtUp(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.#loop) return Promise.reject(new SubscriptionError(this.id, 'is not started'));
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        afterCycle: this.#cycle,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(new SubscriptionError(this.id, `did not catch up within ${timeoutMs} ms (active: ${this.#lease.held})`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
      this.#signal.wake();
    });
  }

  /**
   * How many matching events are stored after this instance's position, counting at most `max`
   * (default 10,000): the subscription's lag, for metrics and readiness checks.
   */
  async lag(max = 10_000): Promise<number> {
    const records = await this.host.adapter.readAll({
      after: this.#position,
      limit: max,
      eventTypes: this.options.eventTypes,
      aggregateTypes: this.options.aggregateTypes,
    });
    return records.length;
  }

  /** Dead letters parked by this subscription, oldest first. */
  listDeadLetters(): Promise<DeadLetterRecord[]> {
    return this.host.adapter.listDeadLetters(this.id);
  }

  /**
   * Hands each dead letter to the handler again; the ones it now handles are removed. Returns how
   * many were handled and how many still fail.
   */
  async replayDeadLetters(): Promise<{ handled: number; failed: number }> {
    const letters = await this.listDeadLetters();
    let handled = 0;
    let failed = 0;
    for (const letter of letters) {
      const [record] = await this.host.adapter.readEvents([letter.eventId]);
      const outcome = record ? await this.deliver(record, { retries: false, park: false }) : undefined;
      if (outcome?.kind === 'handled') {
        await this.host.adapter.deleteDeadLetter(letter.id);
        handled += 1;
      } else {
        failed += 1;
      }
    }
    return { handled, failed };
  }

  /** @internal delivers one event with the subscription's retry policy. */
  deliver(record: EventRecord, options: { retries: boolean; park: boolean } = { retries: true, park: true }): Promise<DeliveryOutcome> {
    return deliverWithRetries(this, this.host, record, {
      attempts: options.retries ? this.options.attempts : 1,
      park: options.park,
      isStopping: () => this.#stopRequested,
      sleep: (ms) => this.#signal.sleep(ms),
    }, this.#invoke);
  }

  /** @internal stores the checkpoint, fenced by this instance's lease. */
  async checkpoint(position: bigint): Promise<void> {
    const saved = await this.host.adapter.saveCheckpoint(this.id, position, { name: this.#lease.name, owner: this.owner });
    if (!saved) throw new LeaseLostError(this.id);
    this.#position = position;
  }

  /** @internal records a checkpoint written by the caller inside its own transaction. */
  checkpointed(position: bigint): void {
    this.#position = position;
  }

  /** @internal the lease this instance must hold for a checkpoint to count. */
  get fence(): { name: string; owner: string } {
    return { name: this.#lease.name, owner: this.owner };
  }

  /** @internal */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  async #run(): Promise<void> {
    let failure: Error | undefined;
    try {
      while (!this.#stopRequested) {
        if (!(await this.#takeLease())) {
          await this.#signal.sleep(Math.max(50, Math.floor(this.options.leaseTtlMs / 4)));
          continue;
        }
        try {
          await this.#follow();
        } catch (error) {
          if (error instanceof StopDelivery) {
            failure = error.reason;
            break;
          }
          if (!(error instanceof LeaseLostError)) throw error;
          this.#loseLease();
        }
      }
    } catch (error) {
      failure = toError(error);
      this.#emitError(failure, { willRetry: false });
    } finally {
      await this.#giveUpLease();
      this.#state = failure ? 'failed' : 'stopped';
      for (const waiter of this.#waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(new SubscriptionError(this.id, 'stopped before catching up', { cause: failure }));
      }
      this.host.release(this.id);
      this.emit('stopped', failure);
    }
  }

  /** Delivers events while this instance holds the lease. */
  async #follow(): Promise<void> {
    const { adapter } = this.host;
    await this.beforeFollow?.();
    const stored = await adapter.loadCheckpoint(this.id);
    if (stored === null) {
      const from = this.options.from;
      this.#position = from === 'start' ? 0n : from === 'end' ? await adapter.globalPosition() : from;
      await this.checkpoint(this.#position);
    } else {
      this.#position = stored;
    }
    this.#state = 'catching-up';
    let idleMs = IDLE_POLL_MIN_MS;
    let caughtUp = false;
    while (!this.#stopRequested && this.#lease.held) {
      const cycle = ++this.#cycle;
      let records: EventRecord[];
      try {
        records = await adapter.readAll({
          after: this.#position,
          limit: this.options.batchSize,
          eventTypes: this.options.eventTypes,
          aggregateTypes: this.options.aggregateTypes,
        });
      } catch (error) {
        this.#emitError(toError(error), { willRetry: true });
        await this.#signal.sleep(this.options.pollIntervalMs);
        continue;
      }
      if (records.length > 0) {
        try {
          await this.deliverBatch(records, this);
        } catch (error) {
          if (error instanceof StopDelivery || error instanceof LeaseLostError) throw error;
          // A checkpoint or dead-letter write failed (a lost connection, a busy database): the
          // batch is delivered again from the last stored checkpoint, at least once.
          this.#emitError(toError(error), { willRetry: true });
          await this.#signal.sleep(this.options.pollIntervalMs);
          continue;
        }
        idleMs = IDLE_POLL_MIN_MS;
      }
      if (this.#stopRequested) break;
      if (records.length < this.options.batchSize) {
        if (!caughtUp) this.emit('caught-up', { position: this.#position });
        caughtUp = true;
        this.#state = 'live';
        this.#resolveWaiters(cycle);
        await this.#signal.sleep(idleMs);
        idleMs = Math.min(this.options.pollIntervalMs, idleMs * 2);
      } else if (caughtUp) {
        caughtUp = false;
        this.#state = 'catching-up';
        this.emit('fell-behind', { position: this.#position });
      }
    }
  }

  #resolveWaiters(cycle: number): void {
    if (this.#waiters.length === 0) return;
    const remaining = [];
    for (const waiter of this.#waiters) {
      if (cycle > waiter.afterCycle) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else {
        remaining.push(waiter);
      }
    }
    this.#waiters = remaining;
  }

  async #takeLease(): Promise<boolean> {
    const was = this.#lease.held;
    const held = await this.#lease.take();
    if (held && !was) this.emit('active');
    return held;
  }

  #loseLease(): void {
    if (this.#lease.drop()) this.#becameInactive();
  }

  #becameInactive(): void {
    this.#state = 'standby';
    this.emit('inactive');
    this.#signal.wake();
  }

  async #giveUpLease(): Promise<void> {
    const was = this.#lease.held;
    await this.#lease.release();
    if (was) this.#becameInactive();
  }

  /** @internal */
  emitError(error: Error, info: { event?: Event; attempt?: number; willRetry: boolean }): void {
    this.#emitError(error, info);
  }

  #emitError(error: Error, info: { event?: Event; attempt?: number; willRetry: boolean }): void {
    this.emit('error', error, info);
  }
}
