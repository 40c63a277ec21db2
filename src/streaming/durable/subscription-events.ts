import type { Event } from '../../core/event.js';
import type { DeadLetterRecord } from '../../store/coordination.js';

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
