import type { Event } from '../../core/event.js';

/**
 * What a receiver yields: the event and the positions it was published at.
 *
 * The same object is handed to every subscription that receives the event, so treat it as
 * read-only.
 *
 * @example
 * for await (const { event, globalPosition } of receiver) {
 *   console.log(globalPosition, event.eventType);
 * }
 */
export interface StreamedEvent {
  readonly event: Event;
  /** The event's position in its aggregate's stream (its version, as the publisher reports it). */
  readonly streamPosition: number;
  /** The event's position in the store-wide log. */
  readonly globalPosition: bigint;
}

/** The ways a subscription can handle an event that arrives while its buffer is full. */
export const OVERFLOW_POLICIES = ['wait', 'drop-oldest', 'error'] as const;

/**
 * What a subscription does when an event arrives and its buffer is full.
 *
 * - `'wait'` (default): the publisher's `publishEvent()` promise waits until this subscription has
 *   room. Nothing is lost; a slow consumer slows the publisher down.
 * - `'drop-oldest'`: the oldest buffered event is dropped (and counted) to make room.
 * - `'error'`: the new event is dropped (and counted), and the subscription fails: its iterator
 *   yields what it had buffered, then throws `StreamOverflowError`.
 *
 * @example
 * streamer.subscribe({ id: 'dashboard', overflow: 'drop-oldest', capacity: 100 });
 */
export type OverflowPolicy = (typeof OVERFLOW_POLICIES)[number];
