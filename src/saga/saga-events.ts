import { z } from 'zod';
import { defineEvent } from '../core/event.js';

/**
 * Every transition of a saga is one of these events in the saga's own stream, so its state
 * survives a crash and is visible to subscriptions. Always registered with every store.
 */
const json = z.unknown();

export const SagaStarted = defineEvent('SagaStarted', z.object({ name: z.string(), input: json, owner: z.string() }));
/** Another coordinator took over an unfinished saga whose coordinator died. */
export const SagaResumed = defineEvent('SagaResumed', z.object({ owner: z.string() }));
export const SagaStepCompleted = defineEvent('SagaStepCompleted', z.object({ step: z.string(), result: json }));
export const SagaStepFailed = defineEvent(
  'SagaStepFailed',
  z.object({ step: z.string(), error: z.string(), attempts: z.number().int() }),
);
export const SagaCompensationStarted = defineEvent(
  'SagaCompensationStarted',
  z.object({ failedStep: z.string(), reason: z.string() }),
);
export const SagaStepCompensated = defineEvent('SagaStepCompensated', z.object({ step: z.string() }));
/** Every completed step was compensated. */
export const SagaCompensated = defineEvent('SagaCompensated', z.object({}));
export const SagaCompleted = defineEvent('SagaCompleted', z.object({}));
/** A compensation failed after its retries: the saga needs a person. */
export const SagaFailed = defineEvent('SagaFailed', z.object({ reason: z.string(), step: z.string().optional() }));

export const SAGA_EVENTS = [
  SagaStarted,
  SagaResumed,
  SagaStepCompleted,
  SagaStepFailed,
  SagaCompensationStarted,
  SagaStepCompensated,
  SagaCompensated,
  SagaCompleted,
  SagaFailed,
] as const;
