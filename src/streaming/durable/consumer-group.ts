import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import { StoreClosedError } from '../../core/errors.js';
import { checkTimerMs } from '../../core/limits.js';
import { checkPositiveInteger } from '../../core/checks.js';
import type { DeadLetterRecord } from '../../store/coordination.js';
import type { DurableSubscription, DurableSubscriptionEvents } from './durable-subscription.js';
import { prepareGroup, partitionId } from './group-config.js';
import { assignedPartitions, GroupMembership } from './group-membership.js';
import { SubscriptionError, toError } from './subscription-errors.js';
import type { SubscriptionHost } from './subscription-host.js';
import type { ResolvedSubscriptionOptions } from './subscription-options.js';
import { PartitionGate } from './partition-gate.js';
import { WakeSignal } from './wake-signal.js';

/*
 * Consumer groups: one subscription id, N partitions, shared by every process that subscribes
 * with that id.
 *
 * - Partition of an event: FNV-1a 32 over the UTF-8 bytes of its aggregate id, mod N
 *   (partition-hash.ts). Computed in JavaScript after a page is read, so it is identical in every
 *   process and on every adapter; one aggregate's events always share a partition, and a partition
 *   is handled in log order, so they are handled in order.
 * - A partition is a durable subscription of its own, named `<id>#p<k>`: its own lease, checkpoint
 *   and dead letters, with the same fenced writes (a checkpoint, or a projection's read-model
 *   writes committed with it, are refused once another instance holds its lease). It reads the
 *   whole log (with the group's type filters) and delivers its own events; after each page it
 *   moves past the others'. The price: each partition reads every event once (N reads of the log
 *   in all, spread over the instances); the gain: no database hash function, nothing new in SQL.
 * - Membership: each instance holds one of N member leases (`group:<id>#m<slot>`); every
 *   `leaseTtlMs / 4` it reads which slots are live and runs the partitions k with
 *   `k % members === its rank` among the live slots (a fair share: N / members, rounded up or
 *   down), starting the partitions it gained and stopping (checkpoint stored, lease released) the
 *   ones it lost. A partition it gained is taken as soon as the old holder releases it, or when
 *   its lease expires (the holder died). Rebalancing therefore ends within about
 *   1.5 x leaseTtlMs after an instance dies, and within a tick or two after one joins or stops.
 * - The count N is stored with the group (`<id>#partitions`) on its first start. Starting it with
 *   another N throws GroupPartitionsChangedError, nothing written: to change it, stop every
 *   instance and start a group with a new id. A group whose id was a plain subscription starts
 *   every partition where that subscription stopped.
 * - `partitions` absent: store.subscribe() returns a plain DurableSubscription, as before.
 */

/** What a consumer group's handle is doing. */
export type ConsumerGroupState = 'idle' | 'running' | 'stopping' | 'stopped' | 'failed';

/** Events a consumer group emits. Listening is optional. */
export interface ConsumerGroupEvents {
  /** The partitions this instance handles now changed (it took or lost one). */
  partitions: [owned: readonly number[]];
  /** A partition's handler or read failed (see DurableSubscriptionEvents['error']). */
  error: [error: Error, info: DurableSubscriptionEvents['error'][1] & { partition?: number }];
  'dead-letter': [record: DeadLetterRecord];
  /** This instance left the group: by stop(), or (with `reason`) a partition stopped on `onError: 'stop'`. */
  stopped: [reason?: Error];
}

/** Makes one partition's subscription (a handler's, or a projection's runner). @internal */
export type MakePartition = (options: ResolvedSubscriptionOptions) => DurableSubscription;

/**
 * This process's member of a consumer group: handles the partitions it owns now, each in log
 * order, all of them at once (or `partitionConcurrency` of them at a time). Made by `store.subscribe({ id, partitions, handle })` or
 * `store.projection(model, { partitions })`.
 *
 * @example
 * const mailer = store.subscribe({ id: 'mailer', partitions: 8, handle: sendMail });
 * mailer.on('partitions', (owned) => log.info({ owned }, 'mailer partitions'));
 * await mailer.start();
 */
export class ConsumerGroup extends EventEmitter<ConsumerGroupEvents> {
  readonly id: string;
  /** Identifies this instance in the lease table (member and partition leases). */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  /** The group's partition count. */
  readonly partitionCount: number;
  readonly options: ResolvedSubscriptionOptions;
  readonly #host: SubscriptionHost;
  readonly #make: MakePartition;
  readonly #workers = new Map<number, DurableSubscription>();
  readonly #membership: GroupMembership;
  readonly #signal = new WakeSignal();
  /** Bounds how many partitions deliver at once here (`partitionConcurrency`); absent: all. */
  readonly #gate: PartitionGate | undefined;
  #state: ConsumerGroupState = 'idle';
  #loop: Promise<void> | undefined;
  #stopRequested = false;
  #failure: Error | undefined;
  #owned: number[] = [];
  #assigned: number[] = [];
  /** Resolves once this instance has read the membership and started its share (each start). */
  #ready: Promise<void> = Promise.resolve();
  #markReady: () => void = () => undefined;

  /** Made by `store.subscribe({ partitions })` and `store.projection(model, { partitions })`. */
  constructor(host: SubscriptionHost, options: ResolvedSubscriptionOptions & { partitions: number }, make: MakePartition) {
    super();
    this.id = options.id;
    this.options = options;
    this.partitionCount = options.partitions;
    this.#host = host;
    this.#make = make;
    const limit = options.partitionConcurrency;
    this.#gate = limit !== undefined && limit < options.partitions ? new PartitionGate(limit) : undefined;
    this.#membership = new GroupMembership(host.adapter, options.id, this.owner, options.partitions, options.leaseTtlMs, {
      lost: () => this.#signal.wake(),
      error: (error) => this.#reportError(error, { willRetry: true }),
    });
  }

  get state(): ConsumerGroupState {
    return this.#state;
  }

  /** The partitions this instance handles now (holds their leases, renewed in time), ascending. */
  get partitions(): readonly number[] {
    return this.#ownedNow();
  }

  /** True while this instance handles at least one partition. */
  get isActive(): boolean {
    return this.#ownedNow().length > 0;
  }

  /**
   * Joins the group and begins delivery. Rejects with `GroupPartitionsChangedError` (nothing
   * written) when the group is stored with another partition count. Calling it while running does nothing.
   */
  async start(): Promise<void> {
    if (this.#host.isClosed()) throw new StoreClosedError();
    if (this.#loop) return;
    const { adapter } = this.#host;
    await prepareGroup(adapter, this.id, this.partitionCount, this.options.from, this.owner, this.options.leaseTtlMs);
    if (this.#loop) return;
    this.#stopRequested = false;
    this.#failure = undefined;
    this.#state = 'running';
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  /** Stops every partition of this instance (each stores its checkpoint) and leaves the group. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#signal.wake();
    if (this.#state === 'running') this.#state = 'stopping';
    await this.#loop;
  }

  /**
   * Resolves once this instance runs its share of the partitions and each of them has handled
   * every event committed before the call. Rejects after `timeoutMs` (default 30 s), when the
   * group stops, or when a rebalance stops one of those partitions here first.
   */
  async waitUntilCaughtUp(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.#loop) throw new SubscriptionError(this.id, 'is not started');
    const timeoutMs = options.timeoutMs ?? 30_000;
    checkTimerMs('timeoutMs', timeoutMs, 0);
    const deadline = performance.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SubscriptionError(this.id, `did not catch up within ${timeoutMs} ms (partitions: ${this.#owned.join(', ')})`)), timeoutMs);
    });
    try {
      await Promise.race([this.#ready, late]);
      if (this.#stopRequested) throw new SubscriptionError(this.id, 'stopped before catching up', { cause: this.#failure });
      const workers = this.#assigned.map((index) => this.#workers.get(index)).filter((w) => w !== undefined);
      const left = Math.max(0, Math.floor(deadline - performance.now()));
      await Promise.all(workers.map((worker) => worker.waitUntilCaughtUp({ timeoutMs: left })));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Matching events after this instance's partitions' positions, counting at most `max` per partition. */
  async lag(max = 10_000): Promise<number> {
    checkPositiveInteger('max', max);
    const counts = await Promise.all([...this.#workers.values()].filter((w) => w.isActive).map((w) => w.lag(max)));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** Dead letters of every partition of the group (whichever instance parked them), oldest first. */
  async listDeadLetters(): Promise<DeadLetterRecord[]> {
    const lists = await Promise.all(Array.from({ length: this.partitionCount }, (_, k) => this.#host.adapter.listDeadLetters(partitionId(this.id, k))));
    return lists.flat().sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime());
  }

  /** Replays the dead letters of the partitions this instance handles now (see DurableSubscription.replayDeadLetters). */
  async replayDeadLetters(): Promise<{ handled: number; failed: number }> {
    let handled = 0;
    let failed = 0;
    for (const worker of this.#workers.values()) {
      if (!worker.isActive) continue;
      const result = await worker.replayDeadLetters();
      handled += result.handled;
      failed += result.failed;
    }
    return { handled, failed };
  }

  async #run(): Promise<void> {
    const tickMs = Math.max(25, Math.floor(this.options.leaseTtlMs / 4));
    let failures = 0;
    try {
      while (!this.#stopRequested) {
        try {
          const { live, mine } = await this.#membership.view();
          this.#assigned = assignedPartitions(live, mine, this.partitionCount);
          await this.#reconcile();
          failures = 0;
          if (mine !== undefined) this.#markReady();
        } catch (error) {
          // The store could not be reached: the partitions' own leases decide who may write.
          this.#reportError(toError(error), { willRetry: true });
          failures += 1;
        }
        if (this.#stopRequested) break;
        await this.#signal.sleep(Math.min(this.options.maxBackoffMs, tickMs * 2 ** Math.min(failures, 6)), Infinity);
      }
    } finally {
      this.#assigned = [];
      await Promise.all([...this.#workers.keys()].map((index) => this.#stopWorker(index)));
      await this.#membership.leave().catch((error: unknown) => this.#reportError(toError(error), { willRetry: false }));
      this.#state = this.#failure ? 'failed' : 'stopped';
      this.#markReady();
      this.#host.release(this.id);
      this.emit('stopped', this.#failure);
    }
  }

  /** Stops the partitions no longer assigned here (releasing them first), then starts the new ones. */
  async #reconcile(): Promise<void> {
    const assigned = new Set(this.#assigned);
    await Promise.all([...this.#workers.keys()].filter((index) => !assigned.has(index)).map((index) => this.#stopWorker(index)));
    for (const index of this.#assigned) {
      if (this.#stopRequested) return;
      if (!this.#workers.has(index)) await this.#startWorker(index);
    }
  }

  async #startWorker(index: number): Promise<void> {
    const { partitions: _count, partitionConcurrency: _limit, ...rest } = this.options;
    const partition = { index, count: this.partitionCount, ...(this.#gate && { gate: this.#gate }) };
    const worker = this.#make({ ...rest, id: partitionId(this.id, index), partition });
    worker.on('active', () => this.#ownedChanged());
    worker.on('inactive', () => this.#ownedChanged());
    worker.on('dead-letter', (record) => this.emit('dead-letter', record));
    worker.on('error', (error, info) => this.#reportError(error, { ...info, partition: index }));
    worker.on('stopped', (reason) => {
      if (reason === undefined || this.#stopRequested) return;
      // onError: 'stop' (or a failure that ended the partition): the whole instance stops with it.
      this.#failure ??= reason;
      this.#stopRequested = true;
      this.#signal.wake();
    });
    this.#workers.set(index, worker);
    await worker.start();
  }

  async #stopWorker(index: number): Promise<void> {
    const worker = this.#workers.get(index);
    if (!worker) return;
    await worker.stop();
    this.#workers.delete(index);
    worker.removeAllListeners();
    this.#ownedChanged();
  }

  #ownedNow(): number[] {
    return [...this.#workers].filter(([, worker]) => worker.isActive).map(([index]) => index).sort((a, b) => a - b);
  }

  #ownedChanged(): void {
    const owned = this.#ownedNow();
    if (owned.length === this.#owned.length && owned.every((index, i) => index === this.#owned[i])) return;
    this.#owned = owned;
    this.emit('partitions', owned);
  }

  #reportError(error: Error, info: ConsumerGroupEvents['error'][1]): void {
    if (this.listenerCount('error') > 0) {
      this.emit('error', error, info);
      return;
    }
    const { event, attempt, willRetry, partition } = info;
    const where = partition === undefined ? '' : ` partition ${partition}`;
    const what = event ? `handler failed on ${event.eventType} ${event.eventId} (attempt ${attempt ?? 1})` : 'failed';
    this.#host.warn(`consumer group ${this.id}${where}: ${what}; ${willRetry ? 'it will retry' : 'no retry'}`, error);
  }
}
