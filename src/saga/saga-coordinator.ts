import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { EventEmitter } from 'eventemitter3';
import { ConcurrencyError, ConnectionError, InvalidArgumentError, StoreClosedError } from '../core/errors.js';
import type { Event, EventDefinition, EventOf } from '../core/event.js';
import { checkId } from '../core/event.js';
import { EventStore } from '../event-store/event-store.js';
import type { DurableSubscription } from '../streaming/durable/durable-subscription.js';
import type { SubscriptionOptions } from '../streaming/durable/subscription-options.js';
import { checkTimerMs } from '../core/limits.js';
import { validateValue } from '../core/schema.js';
import { uuidv7 } from '../core/uuid-v7.js';
import { checkSagaTimers, type SagaDefinition } from './define-saga.js';
import { reviveInput } from './saga-input.js';
import { SagaError } from './saga-errors.js';
import { SAGA_EVENTS, SagaResumed, SagaStarted } from './saga-events.js';
import { SagaIndex } from './saga-index.js';
import { Lease } from '../streaming/durable/lease.js';
import { SagaInstance, type SagaState, type SagaStatus } from './saga-instance.js';
import { runSaga } from './saga-runner.js';
import { SagaTelemetry } from '../observability/saga-telemetry.js';

/** Any defined saga, whatever its input and name. */
export type AnySagaDefinition = SagaDefinition<any, string, any>;

/** What `start(name, input)` takes as input for the saga named `N` of `TSagas`. */
export type SagaStartInput<TSagas extends readonly AnySagaDefinition[], N extends string> =
  Extract<TSagas[number], { readonly name: N }> extends SagaDefinition<any, string, infer I> ? I : never;

export interface SagaCoordinatorOptions<TSagas extends readonly AnySagaDefinition[] = readonly AnySagaDefinition[]> {
  /** The sagas this coordinator runs: `start()` takes their names and inputs, checked at compile time. */
  sagas: TSagas;
  /** How long this coordinator counts as alive without renewing its lease (default 5000; an integer from 100 to 2^31-1 ms). */
  leaseTtlMs?: number;
  /**
   * Run `recover()` on this interval, so sagas of a coordinator that died are taken over once its
   * lease expires without anyone calling recover() again (off by default; an integer from 10 to 2^31-1 ms).
   */
  recoverEveryMs?: number;
}

/** Events a coordinator emits for the sagas it runs. */
export interface SagaCoordinatorEvents {
  completed: [state: SagaState];
  compensated: [state: SagaState];
  failed: [state: SagaState];
  step: [info: { sagaId: string; step: string; kind: 'completed' | 'failed' | 'compensated' }];
  /** A saga's run threw something the coordinator did not expect (it stays unfinished: recover() resumes it). */
  error: [error: Error, sagaId: string];
}

export interface StartOptions {
  /** Idempotency: a start with an existing saga id resolves with it and runs nothing twice (default: a time-ordered random UUID, v7). */
  sagaId?: string;
  /** Carried in every saga event's metadata and given to steps (default: the saga id). */
  correlationId?: string;
  /** The id of the event that caused this start, stored in SagaStarted's metadata. */
  causationId?: string;
}

/** Sagas `startOn` starts at once from one batch of events, unless its options say otherwise. */
const START_ON_CONCURRENCY = 16;

/** Options of `startOn`: the subscription's (where to start, retries…), plus which saga. */
export interface StartOnOptions extends Omit<SubscriptionOptions, 'id' | 'handle' | 'events' | 'eventTypes' | 'partitions' | 'partitionConcurrency'> {
  subscriptionId: string;
  /** The saga to start (may be left out when the coordinator has one saga). */
  saga?: string;
}

/**
 * Runs sagas durably: every transition is an event in the saga's stream, so `recover()` resumes
 * after a crash without re-running a completed step. Several coordinators on one store never run
 * one saga at the same time: each holds a lease, and takes over a saga only from a dead one.
 *
 * @example
 * const coordinator = new SagaCoordinator(store, { sagas: [orderSaga] });
 * await coordinator.recover();
 * const sagaId = await coordinator.start('order-processing', { orderId }, { sagaId: `order-${orderId}-saga` });
 * const state = await coordinator.waitFor(sagaId, { timeoutMs: 10_000 });
 */
export class SagaCoordinator<const TSagas extends readonly AnySagaDefinition[] = readonly AnySagaDefinition[]> extends EventEmitter<SagaCoordinatorEvents> {
  /** Identifies this coordinator in the lease table and in the sagas it owns. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  readonly #store: EventStore;
  readonly #sagas = new Map<string, SagaDefinition<unknown>>();
  readonly #running = new Map<string, Promise<SagaState | null>>();
  readonly #subscriptions: DurableSubscription[] = [];
  readonly #stopping = new AbortController();
  readonly #leaseTtlMs: number;
  readonly #index: SagaIndex;
  readonly #lease: Lease;
  readonly #telemetry: SagaTelemetry;
  #recovering: NodeJS.Timeout | undefined;
  #alive: Promise<void> | undefined;

  constructor(store: EventStore, options: SagaCoordinatorOptions<TSagas>) {
    super();
    if (!(store instanceof EventStore)) throw new InvalidArgumentError('store', 'is not an eventuali EventStore');
    this.#store = store;
    // The saga's own event types, through the store's public hook: reads of saga streams decode them.
    // (A closed store refuses register(); the coordinator's calls then throw StoreClosedError.)
    if (!store.isClosed) store.register(...SAGA_EVENTS);
    // Every step in flight (and every retry wait) listens on it until it ends: many concurrent
    // sagas are not a leak, so no MaxListenersExceededWarning past 10.
    setMaxListeners(0, this.#stopping.signal);
    if (typeof options !== 'object' || options === null || !Array.isArray(options.sagas) || options.sagas.length === 0) {
      throw new SagaError('SAGA_DEFINITION', 'SagaCoordinator needs { sagas: [defineSaga(…), …] }');
    }
    for (const saga of options.sagas) {
      if (typeof saga !== 'object' || saga === null) throw new SagaError('SAGA_DEFINITION', 'SagaCoordinator sagas must come from defineSaga()');
      if (this.#sagas.has(saga.name)) throw new SagaError('SAGA_DEFINITION', `Saga ${saga.name} is given twice`);
      checkSagaTimers(saga);
      this.#sagas.set(saga.name, saga);
    }
    // Checked before anything starts: Node fires a timer longer than 2^31-1 ms after 1 ms, which
    // would renew the lease (or recover) in a busy loop.
    const leaseTtlMs = options.leaseTtlMs ?? 5000;
    checkTimerMs('leaseTtlMs', leaseTtlMs, 100);
    if (options.recoverEveryMs !== undefined) checkTimerMs('recoverEveryMs', options.recoverEveryMs, 10);
    this.#leaseTtlMs = leaseTtlMs;
    this.#index = new SagaIndex(store);
    this.#telemetry = new SagaTelemetry(store.instrumentation, () => this.#index.refresh());
    this.#telemetry.refresh();
    this.#lease = new Lease(this.#store.adapter, leaseName(this.owner), this.owner, this.#leaseTtlMs, {
      // Another coordinator may now take this one's sagas; its next save of one fails and it stops there.
      lost: () => this.#error(new SagaError('SAGA_STOPPED', 'This coordinator lost its lease'), ''),
      error: (error) => this.#error(error, ''),
    });
    if (options.recoverEveryMs !== undefined) {
      this.#recovering = setInterval(() => {
        if (this.#stopping.signal.aborted || this.#store.isClosed) return;
        this.recover().catch((error: unknown) => this.#error(error instanceof Error ? error : new Error(String(error)), ''));
      }, options.recoverEveryMs);
      this.#recovering.unref();
    }
  }

  /**
   * Starts a saga and resolves with its id once the start is stored (not when the saga ends). A
   * repeated start with the same `sagaId` resolves with it and runs nothing twice.
   */
  async start<const N extends TSagas[number]['name']>(name: N, input: SagaStartInput<TSagas, N>, options: StartOptions = {}): Promise<string> {
    this.#checkRunning();
    const definition = this.#sagas.get(name);
    if (!definition) {
      throw new SagaError('SAGA_UNKNOWN', `No saga named ${JSON.stringify(name)} is defined here`, { sagaName: name });
    }
    let parsed: unknown = input;
    if (definition.input) {
      const result = validateValue(definition.input, input, `input of saga ${name}`);
      if (!result.success) {
        throw new SagaError('SAGA_INPUT', `Invalid input for saga ${name}: ${result.issues[0]?.message ?? ''}`, {
          sagaName: name,
          issues: result.issues,
        });
      }
      parsed = result.data;
    }
    // Time-ordered, like aggregate ids: a new saga's stream lands at the end of the stream index.
    const sagaId = options.sagaId ?? uuidv7();
    checkId('sagaId', sagaId);
    const correlationId = options.correlationId ?? sagaId;
    await this.#ensureAlive();
    const instance = new SagaInstance(sagaId);
    const metadata = options.causationId === undefined ? { correlationId } : { correlationId, causationId: options.causationId };
    instance.record(SagaStarted.create({ name, input: parsed, owner: this.owner }, { metadata }));
    // Its steps continue the trace it is started in (a handler's, for startOn), as it is stored with SagaStarted.
    instance.traceContext ??= this.#store.instrumentation.traceContext();
    try {
      await this.#store.save(instance);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const existing = await this.#store.load(SagaInstance, sagaId);
      if (existing && existing.name !== name) {
        throw new SagaError('SAGA_INPUT', `Saga id ${sagaId} belongs to a ${existing.name} saga`, { sagaId, sagaName: name });
      }
      return sagaId;
    }
    this.#launch(definition, instance, parsed, correlationId);
    return sagaId;
  }

  /** The saga's current state, or null when no saga has that id. */
  async get(sagaId: string): Promise<SagaState | null> {
    return (await this.#store.load(SagaInstance, sagaId))?.toState() ?? null;
  }

  /**
   * Resolves with the saga's final state (completed, compensated or failed). Rejects with
   * SAGA_TIMEOUT after `timeoutMs` (default 30 s; an integer from 0 to 2^31-1 ms), or SAGA_UNKNOWN
   * for an id no saga has.
   */
  async waitFor(sagaId: string, options: { timeoutMs?: number } = {}): Promise<SagaState> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    checkTimerMs('timeoutMs', timeoutMs, 0);
    const deadline = Date.now() + timeoutMs;
    for (let delay = 5; ; delay = Math.min(200, delay * 2)) {
      const local = this.#running.get(sagaId);
      if (local) {
        const timer = cancellableSleep(Math.max(0, deadline - Date.now()));
        const state = await Promise.race([local, timer.promise]).finally(timer.cancel);
        if (state) return state;
      }
      const state = await this.get(sagaId);
      if (!state) throw new SagaError('SAGA_UNKNOWN', `No saga has id ${JSON.stringify(sagaId)}`, { sagaId });
      if (state.status !== 'running' && state.status !== 'compensating') return state;
      if (Date.now() >= deadline) {
        throw new SagaError('SAGA_TIMEOUT', `Saga ${sagaId} did not finish within ${timeoutMs} ms (it is ${state.status})`, {
          sagaId,
        });
      }
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    }
  }

  /** Sagas in the store, optionally of one status or name. Reads every saga event once, then only new ones. */
  async list(filter: { status?: SagaStatus; name?: string } = {}): Promise<SagaState[]> {
    const all = await this.#index.refresh();
    return all.filter((s) => (filter.status === undefined || s.status === filter.status) && (filter.name === undefined || s.name === filter.name));
  }

  /**
   * Resumes every unfinished saga (of the sagas defined here) that no live coordinator holds:
   * completed steps are not run again; the step that was running at a crash runs again. Resolves
   * with their ids once they are resumed (not finished).
   */
  async recover(): Promise<string[]> {
    this.#checkRunning();
    await this.#ensureAlive();
    const resumed: string[] = [];
    for (const state of await this.#index.refresh()) {
      if (state.status !== 'running' && state.status !== 'compensating') continue;
      const definition = this.#sagas.get(state.name);
      if (!definition || this.#running.has(state.sagaId)) continue;
      const instance = await this.#store.load(SagaInstance, state.sagaId);
      if (!instance || instance.finished) continue;
      if (instance.owner !== this.owner && (await this.#store.adapter.leaseHolder(leaseName(instance.owner))) !== null) continue;
      const mismatch = stepMismatch(definition, instance);
      if (mismatch) {
        this.#error(new SagaError('SAGA_DEFINITION', `Saga ${state.sagaId} cannot resume: ${mismatch}`, { sagaId: state.sagaId }), state.sagaId);
        continue;
      }
      const correlationId = instance.correlationId;
      const previousOwner = instance.owner;
      instance.record(SagaResumed.create({ owner: this.owner }, { metadata: { correlationId } }));
      try {
        await this.#store.save(instance);
      } catch (error) {
        if (error instanceof ConcurrencyError) continue; // another coordinator claimed it first
        throw error;
      }
      this.#launch(definition, instance, reviveInput(definition, instance.input), correlationId);
      this.#telemetry.resumed({ sagaId: state.sagaId, sagaName: state.name, owner: this.owner, previousOwner, stepsCompleted: instance.completed.length });
      resumed.push(state.sagaId);
    }
    return resumed;
  }

  /**
   * Starts a saga for each event of a type, through a durable subscription: once per event, even
   * across restarts (the saga id comes from the event, so a redelivery finds the saga started).
   */
  async startOn<D extends EventDefinition>(
    definition: D,
    map: (event: EventOf<D>) => { sagaId?: string; input: unknown },
    options: StartOnOptions,
  ): Promise<DurableSubscription> {
    this.#checkRunning();
    const sagaName = options.saga ?? (this.#sagas.size === 1 ? [...this.#sagas.keys()][0] : undefined);
    if (sagaName === undefined || !this.#sagas.has(sagaName)) {
      throw new SagaError('SAGA_UNKNOWN', 'startOn needs options.saga naming one of the defined sagas', {});
    }
    const { subscriptionId, saga: _saga, ...subscriptionOptions } = options;
    const subscription = this.#store.subscribe({
      // start() stores SagaStarted and returns: the starts of a batch's events overlap.
      concurrency: START_ON_CONCURRENCY,
      ...subscriptionOptions,
      id: subscriptionId,
      eventTypes: [definition],
      handle: async (event: Event) => {
        const { sagaId, input } = map(event as EventOf<D>);
        const correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.eventId;
        // The map's input is checked by the saga's schema at run time (the saga is named by a string).
        await this.start(sagaName, input as never, {
          sagaId: sagaId ?? `${sagaName}:${event.eventId}`,
          correlationId,
          causationId: event.eventId,
        });
      },
    });
    this.#subscriptions.push(subscription);
    await subscription.start();
    return subscription;
  }

  /** Stops starting sagas, lets running steps finish (sagas halt between steps), gives up the lease. */
  async stop(): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    this.#stopping.abort();
    clearInterval(this.#recovering);
    await Promise.all(this.#subscriptions.map((s) => s.stop()));
    await Promise.allSettled([...this.#running.values()]);
    this.#telemetry.close();
    await this.#lease.release();
  }

  #launch(definition: SagaDefinition<unknown>, instance: SagaInstance, input: unknown, correlationId: string): void {
    const run = runSaga({
      store: this.#store,
      definition,
      instance,
      input,
      correlationId,
      stopping: this.#stopping.signal,
      events: { step: (info) => this.emit('step', info) },
      telemetry: this.#telemetry,
    });
    this.#telemetry.refresh();
    const tracked = run.then(
      (state) => {
        if (state) this.emit(state.status === 'completed' ? 'completed' : state.status === 'compensated' ? 'compensated' : 'failed', state);
        return state;
      },
      (error: unknown) => {
        this.#error(error instanceof Error ? error : new Error(String(error)), instance.id);
        return null;
      },
    );
    this.#running.set(instance.id, tracked);
    void tracked.finally(() => this.#running.delete(instance.id));
  }

  /** Takes this coordinator's lease and keeps it renewed: other coordinators leave its sagas alone while it lives. */
  #ensureAlive(): Promise<void> {
    this.#alive ??= (async () => {
      if (await this.#lease.take()) return;
      this.#alive = undefined;
      throw new ConnectionError('The saga coordinator could not take its lease in the store (its error event has the cause)');
    })();
    return this.#alive;
  }

  /** The 'error' event, and the store's logger when it has one. */
  #error(error: Error, sagaId: string): void {
    this.#telemetry.error(error, sagaId);
    this.emit('error', error, sagaId);
  }

  #checkRunning(): void {
    if (this.#store.isClosed) throw new StoreClosedError();
    if (this.#stopping.signal.aborted) throw new SagaError('SAGA_STOPPED', 'This coordinator is stopped');
  }
}

/** Why the stored saga's completed steps do not fit the definition's steps (changed while it was unfinished). */
function stepMismatch(definition: SagaDefinition<unknown>, instance: SagaInstance): string | undefined {
  for (const [i, { step }] of instance.completed.entries()) {
    if (definition.steps[i]?.name !== step) {
      return `its step ${i + 1} was ${JSON.stringify(step)}, the definition's is ${JSON.stringify(definition.steps[i]?.name ?? null)}`;
    }
  }
  return undefined;
}

function leaseName(owner: string): string {
  return `saga-coordinator:${owner}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function cancellableSleep(ms: number): { promise: Promise<undefined>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}
