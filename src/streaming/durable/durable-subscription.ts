import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import { isEventualiError, StoreClosedError } from '../../core/errors.js';
import { letEventLoopTurn } from '../../core/event-loop.js';
import { checkTimerMs } from '../../core/limits.js';
import { checkPositiveInteger } from '../../core/checks.js';
import type { DeadLetterRecord } from '../../store/coordination.js';
import { subscriptionLeaseName } from '../../store/inspection.js';
import type { EventRecord } from '../../store/event-log.js';
import { deliverWithRetries, handlerContext, type DeliveryControl } from './deliver.js';
import type { BatchDelivery, DeliveryContext, DeliveryMode, DeliveryOutcome, DeliveryPlan, ErrorInfo, Invoke } from './delivery-context.js';
import { deliverConcurrently, deliverEachThenCheckpoint } from './batch-delivery.js';
import { Lease } from './lease.js';
import { LeaseLostError, RetryFromCheckpoint, StopDelivery, SubscriptionError, toError } from './subscription-errors.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { SubscriptionTelemetry } from '../../observability/subscription-telemetry.js';
import type { LagSource } from '../../observability/handler-metrics.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';
import { CaughtUpWaiters } from './caught-up-waiters.js';
import { replayDeadLetters, replayRequestedDeadLetters } from './dead-letter-replay.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import { PageReader, type Page } from './page-reader.js';
import { ReadPacer } from './read-pacer.js';
import { WakeSignal } from './wake-signal.js';
import { partitionedDelivery } from './partitioned-delivery.js';
import type { DurableSubscriptionEvents, SubscriptionState } from './subscription-events.js';
import { measureLag, type Lag } from './subscription-lag.js';

export type { DurableSubscriptionEvents, SubscriptionState } from './subscription-events.js';

const IDLE_POLL_MIN_MS = 5;
/**
 * The pacer's wait between live reads also ends after this many commit hints: writers in this
 * process that never wait for I/O (better-sqlite3 is synchronous) keep timers from firing.
 */
const READ_GAP_HINTS = 100;
/** While live, how often the active instance looks for dead letters another process asked to replay. */
const REPLAY_REQUEST_CHECK_MS = 1000;

/**
 * A durable subscription: catches up from the store, then follows live, storing its checkpoint
 * after handled batches: at most every 250 ms while events come in, within 250 ms of the last one,
 * before `waitUntilCaughtUp()` resolves, and on stop(). At-least-once: after a crash, the events
 * handled since the last stored checkpoint (at most about 250 ms of them) are delivered again. One
 * instance per id is active across processes (a lease); others wait and take over.
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
  /** The last handled event's position: reading goes on after it. */
  #position = 0n;
  readonly #checkpoints = new CheckpointWriter((position) => this.#saveCheckpoint(position));
  #loop: Promise<void> | undefined;
  /** Aborted by stop(); a new one for each start(). */
  #stopping = new AbortController();
  readonly #lease: Lease;
  #cycle = 0;
  readonly #waiters = new CaughtUpWaiters();
  #unsubscribeHint: (() => void) | undefined;
  readonly #signal = new WakeSignal();
  /** Failures to reach the store in a row, for the backoff before trying again. */
  #failures = 0;

  readonly options: ResolvedSubscriptionOptions;
  readonly #host: SubscriptionHost;
  /** What this subscription's parts (delivery, replay, a projection's batches) are given. */
  readonly #ctx: DeliveryContext;
  readonly #deliverBatch: BatchDelivery;
  readonly #invoke: Invoke;
  readonly #beforeFollow: (() => Promise<void>) | undefined;
  /** The delivery control of the run loop (all attempts, then park), made once. */
  #retrying: DeliveryControl | undefined;
  readonly #telemetry: SubscriptionTelemetry;
  /** What the lag gauges measure while this instance holds the lease. */
  readonly #lagSource: LagSource;

  /**
   * Made by `store.subscribe()` (and, through ProjectionRunner, `store.projection()`): `plan` is how
   * a kind of subscription delivers, given the context its parts share.
   */
  constructor(host: SubscriptionHost, options: ResolvedSubscriptionOptions, plan?: (ctx: DeliveryContext) => DeliveryPlan) {
    super();
    this.id = options.id;
    this.options = options;
    this.#host = host;
    this.#lease = new Lease(host.adapter, subscriptionLeaseName(options.id), this.owner, options.leaseTtlMs, {
      lost: () => this.#becameInactive(true),
      error: (error) => this.#reportError(error, { willRetry: true }),
    });
    this.#ctx = {
      id: options.id,
      options,
      host,
      fence: { name: this.#lease.name, owner: this.owner },
      isStopping: () => this.#stopRequested,
      stopSignal: () => this.#stopping.signal,
      deliver: (record, mode) => this.#deliver(record, mode),
      handled: (position) => {
        this.#position = position;
      },
      checkpoint: (position) => this.#checkpoint(position),
      checkpointed: (position) => this.#checkpointed(position),
      reportError: (error, info) => this.#reportError(error, info),
      reportDeadLetter: (record) => {
        this.#telemetry.deadLettered(record);
        this.emit('dead-letter', record);
      },
    };
    const chosen = plan?.(this.#ctx) ?? {};
    this.#telemetry = host.telemetry(options.id, chosen.kind ?? 'subscription', options.slowHandlerMs);
    this.#lagSource = { id: options.id, measureLag: () => this.#measureLag(10_000) };
    const deliverBatch = chosen.deliverBatch ?? (options.concurrency > 1 ? deliverConcurrently : deliverEachThenCheckpoint);
    // One partition of a consumer group: the same delivery, given only the partition's events.
    this.#deliverBatch = options.partition ? partitionedDelivery(deliverBatch, options.partition) : deliverBatch;
    this.#invoke = this.#telemetry.wrapInvoke(chosen.invoke ?? ((event, attempt) => options.handle(event, handlerContext(this.id, event, attempt, host))));
    this.#beforeFollow = chosen.beforeFollow;
  }

  get state(): SubscriptionState {
    return this.#state;
  }

  /** stop() was called (since the last start()). */
  get #stopRequested(): boolean {
    return this.#stopping.signal.aborted;
  }

  /**
   * The position of the last handled event; `0n` before the first. The stored checkpoint follows it
   * within about 250 ms, and at once before waitUntilCaughtUp() resolves and on stop().
   */
  get position(): bigint {
    return this.#position;
  }

  /**
   * True while this instance holds the lease: taken, and renewed within its time to live (a
   * renewal that a busy event loop delayed past it counts as lost until it succeeds).
   */
  get isActive(): boolean {
    return this.#lease.valid;
  }

  /** Begins delivery (waiting for the lease if another instance holds it). Calling it while running does nothing. */
  async start(): Promise<void> {
    if (this.#host.isClosed()) throw new StoreClosedError();
    if (this.#loop) return;
    this.#stopping = new AbortController();
    this.#state = 'standby';
    this.#unsubscribeHint = this.#host.onCommit(() => this.#signal.hint());
    this.#loop = this.#run().finally(() => {
      this.#unsubscribeHint?.();
      this.#unsubscribeHint = undefined;
      this.#loop = undefined;
    });
  }

  /** Stops after the event in flight, stores the checkpoint, gives up the lease. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopping.abort();
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
    try {
      checkTimerMs('timeoutMs', timeoutMs, 0);
    } catch (error) {
      return Promise.reject(error);
    }
    const caughtUp = this.#waiters.add(
      this.#cycle,
      timeoutMs,
      () => new SubscriptionError(this.id, `did not catch up within ${timeoutMs} ms (active: ${this.#lease.held})`),
    );
    this.#signal.wake();
    return caughtUp;
  }

  /**
   * How many matching events are stored after this instance's position, counting at most `max`
   * (default 10,000): the subscription's lag, for metrics and readiness checks.
   */
  async lag(max = 10_000): Promise<number> {
    checkPositiveInteger('max', max);
    return (await this.#measureLag(max)).events;
  }

  /** The lag, and the age in seconds of the oldest event not handled yet (0 when caught up). */
  #measureLag(max: number): Promise<Lag> {
    return measureLag(this.#host.adapter, this.options, this.#position, max);
  }

  /** Dead letters parked by this subscription, oldest first. */
  listDeadLetters(): Promise<DeadLetterRecord[]> {
    return this.#host.adapter.listDeadLetters(this.id);
  }

  /**
   * Hands each dead letter to the handler again; the ones it now handles are removed. Returns how
   * many were handled and how many still fail.
   */
  replayDeadLetters(): Promise<{ handled: number; failed: number }> {
    return replayDeadLetters(this.#ctx);
  }

  /** Delivers one event with the subscription's retry policy (or `mode`); no promise when the handler returned none. */
  #deliver(record: EventRecord, mode?: DeliveryMode): DeliveryOutcome | Promise<DeliveryOutcome> {
    const control = mode ? this.#control(mode.retries ? this.options.attempts : 1, mode.park) : (this.#retrying ??= this.#control(this.options.attempts, true));
    return deliverWithRetries(this.#ctx, record, control, this.#invoke);
  }

  #control(attempts: number, park: boolean): DeliveryControl {
    return { attempts, park, isStopping: () => this.#stopRequested, sleep: (ms) => this.#signal.sleep(ms, Infinity) };
  }

  /** Stores the checkpoint now, fenced by this instance's lease. */
  async #checkpoint(position: bigint): Promise<void> {
    await this.#saveCheckpoint(position);
    this.#checkpointed(position);
  }

  /** Records a checkpoint stored now (loaded, or written by a projection inside its own transaction). */
  #checkpointed(position: bigint): void {
    this.#position = position;
    this.#checkpoints.stored(position);
  }

  async #saveCheckpoint(position: bigint): Promise<void> {
    const saved = await this.#host.adapter.saveCheckpoint(this.id, position, { name: this.#lease.name, owner: this.owner });
    if (!saved) throw new LeaseLostError(this.id);
  }

  async #run(): Promise<void> {
    let failure: Error | undefined;
    try {
      while (!this.#stopRequested) {
        if (!(await this.#takeLease())) {
          await this.#signal.sleep(Math.max(50, Math.floor(this.options.leaseTtlMs / 4)), Infinity);
          continue;
        }
        try {
          await this.#follow();
        } catch (error) {
          if (error instanceof StopDelivery) {
            failure = error.reason;
            break;
          }
          if (isEventualiError(error, 'CONNECTION')) {
            // Setting up (projection setup, loading or writing the first checkpoint) could not
            // reach the store: try again, keeping the lease while it can be renewed.
            this.#reportError(toError(error), { willRetry: true });
            await this.#backOff();
            continue;
          }
          if (!(error instanceof LeaseLostError)) throw error;
          this.#loseLease();
        }
      }
    } catch (error) {
      failure = toError(error);
      this.#reportError(failure, { willRetry: false });
    } finally {
      await this.#storeBeforeLeaving();
      await this.#giveUpLease();
      this.#state = failure ? 'failed' : 'stopped';
      this.#waiters.rejectAll(new SubscriptionError(this.id, 'stopped before catching up', { cause: failure }));
      this.#host.release(this.id);
      this.emit('stopped', failure);
    }
  }

  /** Delivers events while this instance holds the lease. */
  async #follow(): Promise<void> {
    const { adapter } = this.#host;
    await this.#checkpoints.restart();
    await this.#beforeFollow?.();
    const stored = await adapter.loadCheckpoint(this.id);
    if (stored === null) {
      const from = this.options.from;
      await this.#checkpoint(from === 'start' ? 0n : from === 'end' ? await adapter.globalPosition() : from);
    } else {
      this.#checkpointed(stored);
    }
    this.#state = 'catching-up';
    let idleMs = IDLE_POLL_MIN_MS;
    let caughtUp = false;
    let replayCheckAt = 0;
    const pacer = new ReadPacer();
    const reader = new PageReader(adapter, this.options);
    while (!this.#stopRequested && this.#lease.held) {
      const cycle = ++this.#cycle;
      let page: Page;
      try {
        page = await reader.read(this.#position);
      } catch (error) {
        this.#reportError(toError(error), { willRetry: true });
        await this.#backOff();
        continue;
      }
      const { records, readAt, readMs } = page;
      const more = records.length === this.options.batchSize;
      if (page.skipTo !== undefined) this.#position = page.skipTo;
      try {
        this.#checkpoints.throwFailure();
        if (records.length > 0) await this.#telemetry.batch(records, () => this.#deliverBatch(records, this.#ctx));
        // Caught up with someone waiting: stored before the waiter hears of it. Otherwise coalesced.
        if (!more && this.#waiters.size > 0) await this.#checkpoints.writeNow(this.#position);
        else this.#checkpoints.writeSoon(this.#position);
      } catch (error) {
        if (error instanceof StopDelivery || error instanceof LeaseLostError) throw error;
        // A checkpoint or dead-letter write failed, or a handler could not reach the store: what
        // is not handled yet is read again after the last handled event, at least once.
        if (!(error instanceof RetryFromCheckpoint)) this.#reportError(toError(error), { willRetry: true });
        await this.#backOff();
        continue;
      }
      if (records.length > 0) idleMs = IDLE_POLL_MIN_MS;
      this.#failures = 0;
      if (this.#stopRequested) break;
      if (!more) {
        if (!caughtUp) this.emit('caught-up', { position: this.#position });
        caughtUp = true;
        this.#state = 'live';
        this.#waiters.caughtUp(cycle);
        if (performance.now() >= replayCheckAt) {
          replayCheckAt = performance.now() + REPLAY_REQUEST_CHECK_MS;
          await this.#replayRequested();
        }
        // A handled position not stored yet is stored by the first poll after it is due.
        const pending = this.#checkpoints.behind(this.#position);
        await this.#signal.sleep(pending ? Math.max(1, Math.min(idleMs, this.#checkpoints.dueInMs())) : idleMs);
        const gap = pacer.gapAfter(records.length, readMs, readAt) - (performance.now() - readAt);
        if (gap > 0 && !this.#stopRequested) await this.#signal.sleep(gap, READ_GAP_HINTS);
        idleMs = Math.min(this.options.pollIntervalMs, idleMs * 2);
        continue;
      }
      if (caughtUp) {
        caughtUp = false;
        this.#state = 'catching-up';
        this.emit('fell-behind', { position: this.#position });
      }
      // Lets the lease's renewal timer, appends and I/O of this process run during a long catch-up.
      const turn = letEventLoopTurn();
      if (turn) await turn;
    }
  }

  /** Replays the dead letters another process asked to replay; a failure to reach the store is reported and tried again later. */
  async #replayRequested(): Promise<void> {
    try {
      await replayRequestedDeadLetters(this.#ctx);
    } catch (error) {
      this.#reportError(toError(error), { willRetry: true });
    }
  }

  /** Stores the handled position before giving up the lease (stop, `onError: 'stop'`, a failure); best effort. */
  async #storeBeforeLeaving(): Promise<void> {
    if (!this.#lease.held) return;
    try {
      await this.#checkpoints.writeNow(this.#position);
    } catch (error) {
      // Not stored: the next active instance delivers these events again (at least once).
      if (!(error instanceof LeaseLostError)) this.#reportError(toError(error), { willRetry: false });
    }
  }

  /** Waits before trying again after a failure: the poll interval, doubling with each failure in a row up to `maxBackoffMs`. */
  async #backOff(): Promise<void> {
    const { pollIntervalMs, maxBackoffMs } = this.options;
    const ms = Math.min(Math.max(pollIntervalMs, maxBackoffMs), pollIntervalMs * 2 ** Math.min(this.#failures, 20));
    this.#failures += 1;
    await this.#signal.sleep(ms, Infinity);
  }

  async #takeLease(): Promise<boolean> {
    const was = this.#lease.held;
    const held = await this.#lease.take();
    if (held && !was) {
      this.#telemetry.leaseAcquired(this.owner, this.#lagSource);
      this.emit('active');
    }
    return held;
  }

  #loseLease(): void {
    if (this.#lease.drop()) this.#becameInactive(true);
  }

  #becameInactive(lost: boolean): void {
    this.#telemetry.leaseEnded(this.owner, this.#lagSource, lost);
    this.#state = 'standby';
    this.emit('inactive');
    this.#signal.wake();
  }

  async #giveUpLease(): Promise<void> {
    const was = this.#lease.held;
    await this.#lease.release();
    if (was) this.#becameInactive(false);
  }

  /**
   * Reports an error to the 'error' listeners (and the store's logger, when it has one); without a
   * listener, to the store's warning path (the logger, `onWarning`, else a process warning), so
   * that a failure is never silent.
   */
  #reportError(error: Error, info: ErrorInfo): void {
    if (this.listenerCount('error') > 0) {
      this.emit('error', error, info);
      this.#telemetry.failed(error, info);
      return;
    }
    const { event, attempt, willRetry } = info;
    const what = event ? `handler failed on ${event.eventType} ${event.eventId} (attempt ${attempt ?? 1})` : 'failed';
    this.#telemetry.warn(`subscription ${this.id}: ${what}; ${willRetry ? 'it will retry' : 'no retry'}`, error, info);
  }
}
