import { registerBuiltInEvents } from './event-store/built-in-events.js';
import { SAGA_EVENTS } from './saga/saga-events.js';

// The library's own event types (saga transitions) are known to every store, through the store's
// hook for layers above it: a process that reads saga streams without a coordinator decodes them.
registerBuiltInEvents(SAGA_EVENTS);

export { Aggregate, aggregateTypeOf } from './core/aggregate.js';
export type { AggregateClass } from './core/aggregate.js';
export type { AggregateEvents, CheckedAggregateClass } from './core/aggregate-events.js';
export type { Schema, SchemaInput, SchemaOutput } from './core/schema.js';
export type { StandardSchemaV1 } from './core/standard-schema.js';
export { defineEvent, MAX_ID_LENGTH } from './core/event.js';
export type {
  CreateArgs,
  CreateEventOptions,
  DefineEventOptions,
  Event,
  EventData,
  EventDefinition,
  EventMetadata,
  EventOf,
  MetadataInput,
  MetadataOf,
  NewEvent,
  Upcaster,
} from './core/event.js';
export {
  AggregateNotFoundError,
  AggregateTypeMismatchError,
  ConcurrencyError,
  ConnectionError,
  DuplicateEventError,
  ERROR_CODES,
  EventDeserializationError,
  EventValidationError,
  EventualiError,
  ImportConflictError,
  ImportFormatError,
  InvalidArgumentError,
  isEventualiError,
  MissingDriverError,
  MissingEventHandlerError,
  StoreClosedError,
  UnknownEventTypeError,
} from './core/errors.js';
export type { ErrorCode, ValidationIssue } from './core/errors.js';
export { EventStore } from './event-store/event-store.js';
export type { LoadEventsOptions, ReadAllOptions } from './event-store/store-reads.js';
export type { HandleOptions, SaveOptions, UpdateOptions } from './event-store/command-options.js';
export { defineDecider } from './core/decider.js';
export type { CommandOf, Decider, DeciderDefinition, DeciderEventOf, DecidedEventOf, Decision, StateOf } from './core/decider.js';
export type { HandleResult, LoadedState } from './event-store/decider-operations.js';
export type { UnknownEventsPolicy } from './core/event-registry.js';
export type { CreateStoreOptions } from './event-store/store-options.js';
export type { EventStoreOptions } from './core/store-options.js';
export type { PostgresStoreOptions } from './store/postgres/postgres-options.js';
export type { SqliteStoreOptions } from './store/sqlite/sqlite-options.js';
export type { GroupCommitOptions } from './store/sql/group-commit-options.js';
export { Transaction } from './event-store/transaction.js';
export { exportEvents } from './event-store/export-events.js';
export type { ExportOptions } from './event-store/export-events.js';
export { importEvents } from './event-store/import-events.js';
export type { ImportInput, ImportOptions, ImportProgress, ImportResult } from './event-store/import-events.js';
export { EXPORT_FORMAT, EXPORT_FORMAT_VERSION } from './event-store/event-lines.js';
export type { ExportHeader } from './event-store/event-lines.js';
export { MemoryAdapter } from './store/memory/memory-adapter.js';
export type { AdapterCapabilities, StorageAdapter, TransactionSession } from './store/adapter.js';
export type {
  AppendBatch,
  EventImport,
  EventRecord,
  ExpectedVersion,
  ImportedBatch,
  NewEventRecord,
  ReadAllQuery,
  ReadStreamQuery,
  StorageSession,
} from './store/event-log.js';
export type { SnapshotRecord } from './store/snapshots.js';
export { EventStreamer } from './streaming/live/event-streamer.js';
export type { EventStreamerEvents, OverflowNotice, StreamerStats } from './streaming/live/event-streamer.js';
export { StreamOverflowError, SubscriptionExistsError } from './streaming/live/streamer-errors.js';
export type { Receiver, ReceiverState, SubscriptionStats } from './streaming/live/receiver.js';
export { OVERFLOW_POLICIES } from './streaming/live/streamed-event.js';
export type { OverflowPolicy, StreamedEvent } from './streaming/live/streamed-event.js';
export { DEFAULT_STREAM_CAPACITY } from './streaming/live/streamer-options.js';
export type { EventFilter, EventStreamerOptions, SubscribeOptions } from './streaming/live/streamer-options.js';
export { DurableSubscription } from './streaming/durable/durable-subscription.js';
export { ConsumerGroup } from './streaming/durable/consumer-group.js';
export type { ConsumerGroupEvents, ConsumerGroupState } from './streaming/durable/consumer-group.js';
export { partitionOf } from './streaming/durable/partition-hash.js';
export type { DurableSubscriptionEvents, SubscriptionState } from './streaming/durable/durable-subscription.js';
export { GroupPartitionsChangedError, SubscriptionError } from './streaming/durable/subscription-errors.js';
export type {
  EventUnion,
  HandlerContext,
  OnHandlerError,
  RetryOptions,
  SubscriptionOptions,
  SubscriptionStart,
} from './streaming/durable/subscription-options.js';
export { ProjectionRunner } from './projections/projection-runner.js';
export { defineProjection } from './projections/projection.js';
export type {
  Projection,
  ProjectionContext,
  ProjectionDefinition,
  ProjectionHandler,
  ProjectionHandlers,
  ProjectionSetupContext,
} from './projections/projection.js';
export { defineReadModel, isReadModel } from './projections/define-read-model.js';
export type { DocumentOf, ReadModel, ReadModelDefinition } from './projections/define-read-model.js';
export type {
  CountDocumentsOptions,
  DocumentOrderBy,
  DocumentWaitOptions,
  DocumentWhere,
  FieldOperators,
  FindDocumentsOptions,
} from './projections/document-query.js';
export { ReadModelDocuments } from './projections/read-model-documents.js';
export { InlineReadModel } from './projections/read-model-keeper.js';
export type { ReadModelOptions } from './projections/read-model-keeper.js';
export { DocumentValidationError, ReadModelTimeoutError } from './projections/read-model-errors.js';
export { DOCUMENT_FIELD } from './store/documents.js';
export type {
  DocumentCollection,
  DocumentCondition,
  DocumentOrder,
  DocumentQuery,
  DocumentScalar,
  DocumentStorage,
  DocumentWriter,
} from './store/documents.js';
export type { StreamingOptions } from './event-store/event-store.js';
export type { ProjectionOptions } from './event-store/store-runtime.js';
export type { DeadLetterRecord, LeaseFence, ProjectionSession, SqlQuery, SubscriptionStorage } from './store/coordination.js';
export { defineSaga } from './saga/define-saga.js';
export type { ResultOf, SagaDefinition, SagaOptions, SagaStepDefinition, SagaSteps, StepContext, StepResults } from './saga/define-saga.js';
export { SagaCoordinator } from './saga/saga-coordinator.js';
export type {
  AnySagaDefinition,
  SagaCoordinatorEvents,
  SagaCoordinatorOptions,
  SagaStartInput,
  StartOnOptions,
  StartOptions,
} from './saga/saga-coordinator.js';
export { SagaError } from './saga/saga-errors.js';
export type { SagaErrorCode } from './saga/saga-errors.js';
export {
  SAGA_EVENTS,
  SagaCompensated,
  SagaCompensationStarted,
  SagaCompleted,
  SagaFailed,
  SagaResumed,
  SagaStarted,
  SagaStepCompensated,
  SagaStepCompleted,
  SagaStepFailed,
} from './saga/saga-events.js';
export { SAGA_AGGREGATE_TYPE, SAGA_STATUSES } from './saga/saga-instance.js';
export type { SagaState, SagaStatus } from './saga/saga-instance.js';
export type { GaugeHandle, Instrumentation, ObservabilityOptions } from './observability/instrumentation.js';
export type { Logger, LogLevel } from './observability/logger.js';
export type {
  AttributeValue,
  GaugeCallback,
  MetricOptions,
  MetricRecorder,
  SpanKindName,
  SpanStart,
  TelemetryAttributes,
  TraceContext,
  TraceSpan,
} from './observability/span-types.js';
export { SPAN_ATTRIBUTES, METRIC_NAMES } from './observability/attribute-names.js';
