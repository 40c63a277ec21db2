export { createInspector } from './inspector/create-inspector.js';
export type { InspectorHandler } from './inspector/create-inspector.js';
export type { InspectorOptions } from './inspector/inspector-options.js';
export type {
  DeadLetterInfo,
  EventLinks,
  InspectedSubscription,
  StreamSummary,
  SubscriptionInfo,
} from './inspector/inspector-data.js';
export type { InspectedEvent } from './inspector/inspected-event.js';
export type { EventRate } from './inspector/recent-records.js';
