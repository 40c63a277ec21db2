export {
  EventStreamer,
  type EventStreamerEvents,
  type OverflowNotice,
  type StreamerStats,
} from './event-streamer.js';
export { StreamOverflowError, SubscriptionExistsError } from './streamer-errors.js';
export type { Receiver, ReceiverState, SubscriptionStats } from './receiver.js';
export { OVERFLOW_POLICIES, type OverflowPolicy, type StreamedEvent } from './streamed-event.js';
export {
  DEFAULT_STREAM_CAPACITY,
  type EventFilter,
  type EventStreamerOptions,
  type SubscribeOptions,
} from './streamer-options.js';
