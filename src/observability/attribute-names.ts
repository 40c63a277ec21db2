/**
 * Attribute names: OpenTelemetry's semantic conventions for databases and messaging where they
 * fit (written out here, the conventions package is not a dependency), eventuali's own beside.
 */
export const SPAN_ATTRIBUTES = {
  /** `sqlite` | `postgresql` | `memory` (the storage adapter's `dbSystem`). */
  dbSystem: 'db.system.name',
  dbOperation: 'db.operation.name',
  /** The PostgreSQL schema, or the SQLite file. */
  dbNamespace: 'db.namespace',
  errorType: 'error.type',
  messagingSystem: 'messaging.system',
  messagingOperationType: 'messaging.operation.type',
  messagingOperationName: 'messaging.operation.name',
  /** A subscription's or projection's id. */
  messagingDestination: 'messaging.destination.name',
  messagingBatchCount: 'messaging.batch.message_count',
  aggregateType: 'eventuali.aggregate.type',
  aggregateId: 'eventuali.aggregate.id',
  eventType: 'eventuali.event.type',
  eventCount: 'eventuali.event.count',
  positionFirst: 'eventuali.position.first',
  positionLast: 'eventuali.position.last',
  version: 'eventuali.version',
  expectedVersion: 'eventuali.expected_version',
} as const;

/** The metric names of DESIGN.md §8. */
export const METRIC_NAMES = {
  eventsAppended: 'eventuali.events.appended',
  appendDuration: 'eventuali.append.duration',
  subscriptionLag: 'eventuali.subscription.lag',
  subscriptionLagSeconds: 'eventuali.subscription.lag_seconds',
  handlerDuration: 'eventuali.handler.duration',
  deadLetters: 'eventuali.dead_letters',
  sagas: 'eventuali.sagas',
} as const;
