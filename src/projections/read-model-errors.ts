import { describeIssues, EventualiError, type ValidationIssue } from '../core/errors.js';

/**
 * A read model's `evolve` returned a document its schema refuses (`issues` are the schema library's). Thrown inside the projection, so
 * it takes the projection's path for a failing event: retried, then parked as a dead letter (or
 * stopping the projection with `onError: 'stop'`); inline, it fails the append. Nothing is written.
 *
 * @example
 * projection.on('dead-letter', (record) => log.warn(record.error)); // "Document cart-1 of cart_details fails its schema…"
 */
export class DocumentValidationError extends EventualiError {
  constructor(
    readonly readModel: string,
    readonly documentId: string,
    readonly issues: ValidationIssue[],
  ) {
    super('DOCUMENT_VALIDATION', `Document ${JSON.stringify(documentId)} of ${readModel} fails its schema${describeIssues(issues)}`);
  }
}

/**
 * `get(id, { waitFor })` (or `find`/`count` with `waitFor`) gave up: the read model's projection had
 * not handled that position within `timeoutMs`. The projection may be stopped, behind, or run
 * nowhere.
 *
 * @example
 * try { await carts.get(id, { waitFor: position, timeoutMs: 2000 }); }
 * catch (e) { if (isEventualiError(e, 'READ_MODEL_TIMEOUT')) reply(503); }
 */
export class ReadModelTimeoutError extends EventualiError {
  constructor(
    readonly readModel: string,
    readonly position: bigint,
    readonly timeoutMs: number,
  ) {
    super('READ_MODEL_TIMEOUT', `Read model ${readModel} had not handled position ${position} after ${timeoutMs} ms`);
  }
}
