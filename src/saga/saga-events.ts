import { z } from 'zod';
import { defineEvent } from '../core/event.js';

/**
 * Every transition of a saga is one of these events in the saga's own stream, so its state
 * survives a crash and is visible to subscriptions. Always registered with every store. Their
 * types carry the `eventuali.` prefix, so they never clash with your own event names.
 */
const json = z.unknown();

// A saga started without input (undefined) is stored without the key: optional, or it would not read back.
export const SagaStarted = defineEvent('eventuali.SagaStarted', z.object({ name: z.string(), input: json.optional(), owner: z.string() }));
/** Another coordinator took over an unfinished saga whose coordinator died. */
export const SagaResumed = defineEvent('eventuali.SagaResumed', z.object({ owner: z.string() }));
export const SagaStepCompleted = defineEvent('eventuali.SagaStepCompleted', z.object({ step: z.string(), result: json }));
export const SagaStepFailed = defineEvent(
  'eventuali.SagaStepFailed',
  z.object({ step: z.string(), error: z.string(), attempts: z.number().int() }),
);
export const SagaCompensationStarted = defineEvent(
  'eventuali.SagaCompensationStarted',
  z.object({ failedStep: z.string(), reason: z.string() }),
);
export const SagaStepCompensated = defineEvent('eventuali.SagaStepCompensated', z.object({ step: z.string() }));
/** Every completed step was compensated. */
export const SagaCompensated = defineEvent('eventuali.SagaCompensated', z.object({}));
export const SagaCompleted = defineEvent('eventuali.SagaCompleted', z.object({}));
/** A compensation failed after its retries: the saga needs a person. */
export const SagaFailed = defineEvent('eventuali.SagaFailed', z.object({ reason: z.string(), step: z.string().optional() }));

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
