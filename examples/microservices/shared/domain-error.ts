/**
 * A command broke a business rule ("Cannot ship order in status: placed"). The HTTP layer answers
 * 409 with the message; `reason` is a stable machine-readable code, `details` extra context.
 */
export class DomainRuleError extends Error {
  readonly code = 'DOMAIN_RULE';

  constructor(
    message: string,
    readonly reason: string = 'domain_rule_violated',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainRuleError';
  }
}

/** A resource named in a request does not exist: the HTTP layer answers 404. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';

  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${JSON.stringify(id)} not found`);
    this.name = 'NotFoundError';
  }
}
