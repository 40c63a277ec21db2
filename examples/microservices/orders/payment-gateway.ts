import { createHash } from 'node:crypto';
import { millisecondsFromEnv } from '../shared/config.js';

/** Charges and refunds customers. The example ships a simulated one; a real one calls a payment provider. */
export interface PaymentGateway {
  /** Resolves with the payment id; throws PaymentDeclinedError when the charge is refused. The same key charges once. */
  charge(request: { orderId: string; customerId: string; amountCents: number; paymentMethod: string; idempotencyKey: string }): Promise<{
    paymentId: string;
  }>;
  refund(request: { paymentId: string; amountCents: number; idempotencyKey: string }): Promise<void>;
}

export class PaymentDeclinedError extends Error {
  /** A decline is final: the saga does not retry the payment step. */
  readonly retryable = false;

  constructor(readonly paymentId: string, reason: string) {
    super(`Payment declined: ${reason}`);
    this.name = 'PaymentDeclinedError';
  }
}

/** The payment method a sandbox declines, like a payment provider's test cards. */
export const DECLINED_TEST_METHOD = 'test_card_declined';

export interface SimulatedPaymentOptions {
  declinedCustomers?: Iterable<string>;
  /** How long a charge takes, like a real provider's round trip (default 0). */
  latencyMs?: number;
  log?: (message: string) => void;
}

/**
 * A stand-in payment provider: accepts every charge except the `test_card_declined` payment method
 * and the customers listed in `PAYMENT_FAIL_CUSTOMERS` (comma-separated ids; `*` declines everyone).
 * Payment ids derive from the idempotency key, so a repeated charge is the same payment.
 * `PAYMENT_LATENCY_MS` makes each charge take that long (default 0), to watch or test a saga
 * caught in its payment step (e.g. the order service crashing there).
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  readonly #declinedCustomers: ReadonlySet<string>;
  readonly #latencyMs: number;
  readonly #log: (message: string) => void;

  constructor(options: SimulatedPaymentOptions = {}) {
    this.#declinedCustomers = new Set(options.declinedCustomers ?? []);
    this.#latencyMs = options.latencyMs ?? 0;
    this.#log = options.log ?? (() => undefined);
  }

  static fromEnv(env: Readonly<Record<string, string | undefined>>, log?: (message: string) => void): SimulatedPaymentGateway {
    const declinedCustomers = (env['PAYMENT_FAIL_CUSTOMERS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const latencyMs = millisecondsFromEnv('PAYMENT_LATENCY_MS', { fallback: 0 }, env);
    return new SimulatedPaymentGateway({ declinedCustomers, latencyMs, ...(log ? { log } : {}) });
  }

  async charge(request: Parameters<PaymentGateway['charge']>[0]): Promise<{ paymentId: string }> {
    if (this.#latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    const paymentId = `pay_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 20)}`;
    if (request.paymentMethod === DECLINED_TEST_METHOD) throw new PaymentDeclinedError(paymentId, 'the card was declined');
    if (this.#declinedCustomers.has('*') || this.#declinedCustomers.has(request.customerId)) {
      throw new PaymentDeclinedError(paymentId, `customer ${request.customerId} is refused (PAYMENT_FAIL_CUSTOMERS)`);
    }
    this.#log(`charged ${request.amountCents} cents to ${request.customerId} for order ${request.orderId} (${paymentId})`);
    return { paymentId };
  }

  async refund(request: Parameters<PaymentGateway['refund']>[0]): Promise<void> {
    this.#log(`refunded ${request.amountCents} cents of payment ${request.paymentId}`);
  }
}
