import { createHash } from 'node:crypto';

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

/**
 * A stand-in payment provider: accepts every charge except the `test_card_declined` payment method
 * and the customers listed in `PAYMENT_FAIL_CUSTOMERS` (comma-separated ids; `*` declines everyone).
 * Payment ids derive from the idempotency key, so a repeated charge is the same payment.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  readonly #declinedCustomers: ReadonlySet<string>;
  readonly #log: (message: string) => void;

  constructor(options: { declinedCustomers?: Iterable<string>; log?: (message: string) => void } = {}) {
    this.#declinedCustomers = new Set(options.declinedCustomers ?? []);
    this.#log = options.log ?? (() => undefined);
  }

  static fromEnv(env: Readonly<Record<string, string | undefined>>, log?: (message: string) => void): SimulatedPaymentGateway {
    const declinedCustomers = (env['PAYMENT_FAIL_CUSTOMERS'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    return new SimulatedPaymentGateway({ declinedCustomers, ...(log ? { log } : {}) });
  }

  async charge(request: Parameters<PaymentGateway['charge']>[0]): Promise<{ paymentId: string }> {
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
