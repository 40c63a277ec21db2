import { Aggregate } from '../core/aggregate.js';
import type { EventOf } from '../core/event.js';
import { storedTraceContext } from '../observability/saga-telemetry.js';
import type { TraceContext } from '../observability/span-types.js';
import type {
  SagaCompensationStarted,
  SagaFailed,
  SagaResumed,
  SagaStarted,
  SagaStepCompensated,
  SagaStepCompleted,
  SagaStepFailed,
} from './saga-events.js';

export const SAGA_STATUSES = ['running', 'compensating', 'completed', 'compensated', 'failed'] as const;
export type SagaStatus = (typeof SAGA_STATUSES)[number];

/** A saga as `get()`, `waitFor()` and `list()` report it. */
export interface SagaState {
  sagaId: string;
  name: string;
  status: SagaStatus;
  input: unknown;
  /** Completed steps, in order. */
  stepsCompleted: string[];
  /** Compensated steps, in the order they were compensated (reverse of completion). */
  stepsCompensated: string[];
  /** Each completed step's return value, by step name. */
  results: Record<string, unknown>;
  /** The step whose failure started compensation (or whose compensation failed). */
  failedStep: string | null;
  failureReason: string | null;
  /** The correlation id the saga was started with (its id when none was given). */
  correlationId: string;
  startedAt: Date;
  endedAt: Date | null;
  version: number;
}

export const SAGA_AGGREGATE_TYPE = 'eventuali.Saga';

/** @internal the saga's stream as an aggregate: its events are the saga's transitions. */
export class SagaInstance extends Aggregate {
  static override readonly aggregateType = SAGA_AGGREGATE_TYPE;
  name = '';
  input: unknown = undefined;
  owner = '';
  status: SagaStatus = 'running';
  completed: { step: string; result: unknown }[] = [];
  compensated: string[] = [];
  failedStep: string | null = null;
  failureReason: string | null = null;
  startedAt = new Date(0);
  correlationId = '';
  endedAt: Date | null = null;
  /** The trace the saga was started in (stored with SagaStarted, or active at start()): its steps continue it. */
  traceContext: TraceContext | undefined = undefined;

  get finished(): boolean {
    return this.status === 'completed' || this.status === 'compensated' || this.status === 'failed';
  }

  /** @internal */
  record(event: Parameters<Aggregate['apply']>[0]): void {
    this.apply(event);
  }

  ['applyeventuali.SagaStarted'](event: EventOf<typeof SagaStarted>): void {
    this.name = event.data.name;
    this.input = event.data.input;
    this.owner = event.data.owner;
    this.startedAt = event.timestamp;
    this.correlationId = typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : this.id;
    this.traceContext = storedTraceContext(event.metadata);
  }

  ['applyeventuali.SagaResumed'](event: EventOf<typeof SagaResumed>): void {
    this.owner = event.data.owner;
  }

  ['applyeventuali.SagaStepCompleted'](event: EventOf<typeof SagaStepCompleted>): void {
    this.completed.push({ step: event.data.step, result: event.data.result });
  }

  ['applyeventuali.SagaStepFailed'](event: EventOf<typeof SagaStepFailed>): void {
    this.failedStep = event.data.step;
    this.failureReason = event.data.error;
  }

  ['applyeventuali.SagaCompensationStarted'](event: EventOf<typeof SagaCompensationStarted>): void {
    this.status = 'compensating';
    this.failedStep = event.data.failedStep;
    this.failureReason = event.data.reason;
  }

  ['applyeventuali.SagaStepCompensated'](event: EventOf<typeof SagaStepCompensated>): void {
    this.compensated.push(event.data.step);
  }

  ['applyeventuali.SagaCompensated'](event: { timestamp: Date }): void {
    this.status = 'compensated';
    this.endedAt = event.timestamp;
  }

  ['applyeventuali.SagaCompleted'](event: { timestamp: Date }): void {
    this.status = 'completed';
    this.endedAt = event.timestamp;
  }

  ['applyeventuali.SagaFailed'](event: EventOf<typeof SagaFailed>): void {
    this.status = 'failed';
    this.failureReason = event.data.reason;
    if (event.data.step !== undefined) this.failedStep = event.data.step;
    this.endedAt = event.timestamp;
  }

  toState(): SagaState {
    const results: Record<string, unknown> = {};
    for (const { step, result } of this.completed) results[step] = result;
    return {
      sagaId: this.id,
      name: this.name,
      status: this.status,
      input: this.input,
      stepsCompleted: this.completed.map((c) => c.step),
      stepsCompensated: [...this.compensated],
      results,
      failedStep: this.failedStep,
      failureReason: this.failureReason,
      correlationId: this.correlationId,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      version: this.version,
    };
  }
}
