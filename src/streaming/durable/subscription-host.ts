import type { EventRegistry } from '../../core/event-registry.js';
import type { Aggregate } from '../../core/aggregate.js';
import type { Event } from '../../core/event.js';
import type { StorageAdapter } from '../../store/adapter.js';
import type { Instrumentation } from '../../observability/instrumentation.js';
import type { HandlerKind, SubscriptionTelemetry } from '../../observability/subscription-telemetry.js';

/** @internal what a durable subscription needs from its store. */
export interface SubscriptionHost {
  readonly adapter: StorageAdapter;
  readonly registry: EventRegistry;
  /** In-process hint: called after every commit of this store. Returns the unsubscribe function. */
  onCommit(listener: () => void): () => void;
  save(aggregate: Aggregate): Promise<Event[]>;
  /** Frees the subscription id for this process. */
  release(subscriptionId: string): void;
  isClosed(): boolean;
  /** The store's warning path (`onWarning`): what no listener heard. */
  warn(message: string, error: unknown): void;
  /** The store's spans, metrics and logger (`log`, `span`, `counter`…): no-ops without a provider or logger. */
  readonly instrumentation: Instrumentation;
  /** The spans, metrics and logs of one subscription or projection (made once, when it is). */
  telemetry(id: string, kind: HandlerKind, slowHandlerMs: number): SubscriptionTelemetry;
}
