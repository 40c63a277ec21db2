import { EventualiError, type ValidationIssue } from '../core/errors.js';

/** The saga codes of `SagaError`. */
export type SagaErrorCode = 'SAGA_UNKNOWN' | 'SAGA_INPUT' | 'SAGA_DEFINITION' | 'SAGA_STOPPED' | 'SAGA_TIMEOUT';

/**
 * A saga could not be started, found or waited for; `code` tells which. Nothing is written for a
 * rejected start.
 */
export class SagaError extends EventualiError {
  constructor(
    code: SagaErrorCode,
    message: string,
    readonly details: { sagaId?: string; sagaName?: string; step?: string; issues?: ValidationIssue[] } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
