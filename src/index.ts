export { Aggregate, aggregateTypeOf } from './core/aggregate.js';
export type { AggregateClass } from './core/aggregate.js';
export { defineEvent, MAX_ID_LENGTH } from './core/event.js';
export type {
  CreateEventOptions,
  DefineEventOptions,
  Event,
  EventData,
  EventDefinition,
  EventMetadata,
  EventOf,
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
  InvalidArgumentError,
  isEventualiError,
  MissingDriverError,
  MissingEventHandlerError,
  StoreClosedError,
  UnknownEventTypeError,
} from './core/errors.js';
export type { ErrorCode } from './core/errors.js';
export { EventStore } from './core/event-store.js';
export type { LoadEventsOptions, ReadAllOptions } from './core/event-store.js';
export type { HandleOptions, SaveOptions, UpdateOptions } from './core/command-options.js';
export { defineDecider } from './core/decider.js';
export type { CommandOf, Decider, DeciderDefinition, DeciderEventOf, DecidedEventOf, Decision, StateOf } from './core/decider.js';
export type { HandleResult, LoadedState } from './core/decider-operations.js';
export type { UnknownEventsPolicy } from './core/event-registry.js';
export type {
  CreateStoreOptions,
  EventStoreOptions,
  PostgresStoreOptions,
  SqliteStoreOptions,
} from './core/store-options.js';
export { Transaction } from './core/transaction.js';
export { MemoryAdapter } from './store/memory/memory-adapter.js';
export type {
  AdapterCapabilities,
  AppendBatch,
  EventRecord,
  ExpectedVersion,
  NewEventRecord,
  ReadAllQuery,
  ReadStreamQuery,
  SnapshotRecord,
  StorageAdapter,
  StorageSession,
  TransactionSession,
} from './store/adapter.js';
export { EventStreamer } from './streaming/event-streamer.js';
export type { EventStreamerEvents, OverflowNotice, StreamerStats } from './streaming/event-streamer.js';
export { StreamOverflowError, SubscriptionExistsError } from './streaming/errors.js';
export type { Receiver, ReceiverState, SubscriptionStats } from './streaming/receiver.js';
export { OVERFLOW_POLICIES } from './streaming/streamed-event.js';
export type { OverflowPolicy, StreamedEvent } from './streaming/streamed-event.js';
export { DEFAULT_STREAM_CAPACITY } from './streaming/subscribe-options.js';
export type { EventFilter, EventStreamerOptions, SubscribeOptions } from './streaming/subscribe-options.js';
export { DurableSubscription } from './streaming/durable/durable-subscription.js';
export type { DurableSubscriptionEvents, SubscriptionState } from './streaming/durable/durable-subscription.js';
export { SubscriptionError } from './streaming/durable/subscription-errors.js';
export type {
  HandlerContext,
  OnHandlerError,
  RetryOptions,
  SubscriptionOptions,
  SubscriptionStart,
} from './streaming/durable/subscription-options.js';
export { ProjectionRunner } from './streaming/durable/projection-runner.js';
export { defineProjection } from './streaming/projection.js';
export type {
  Projection,
  ProjectionContext,
  ProjectionDefinition,
  ProjectionHandler,
  ProjectionHandlers,
  ProjectionSetupContext,
} from './streaming/projection.js';
export type { StreamingOptions } from './core/event-store.js';
export type { ProjectionOptions } from './core/store-runtime.js';
export type { DeadLetterRecord, LeaseFence, ProjectionSession, SqlQuery, SubscriptionStorage } from './store/subscription-storage.js';
export { defineSaga } from './saga/define-saga.js';
export type { SagaDefinition, SagaOptions, SagaStepDefinition, StepContext } from './saga/define-saga.js';
export { SagaCoordinator } from './saga/saga-coordinator.js';
export type { SagaCoordinatorEvents, SagaCoordinatorOptions, StartOptions } from './saga/saga-coordinator.js';
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
