// docs/sagas.md: in-memory fakes of the services the order saga calls (saved as saga-services.ts).
import { z } from 'zod';
export const OrderItem = z.object({ productId: z.string(), quantity: z.number().int().positive() });
export type OrderItem = z.infer<typeof OrderItem>;

/** A fake inventory service. A repeated reserve() with the same key does nothing. */
export class Inventory {
  readonly available = new Map<string, number>();
  readonly #reserved = new Map<string, OrderItem[]>(); // by order id
  readonly #keys = new Set<string>();

  reserve(orderId: string, items: readonly OrderItem[], idempotencyKey: string): void {
    if (this.#keys.has(idempotencyKey)) return;
    for (const { productId, quantity } of items) {
      if ((this.available.get(productId) ?? 0) < quantity) throw new Error(`Out of stock: ${productId}`);
    }
    for (const { productId, quantity } of items) this.available.set(productId, (this.available.get(productId) ?? 0) - quantity);
    this.#reserved.set(orderId, [...items]);
    this.#keys.add(idempotencyKey);
  }

  release(orderId: string): void {
    for (const { productId, quantity } of this.#reserved.get(orderId) ?? []) {
      this.available.set(productId, (this.available.get(productId) ?? 0) + quantity);
    }
    this.#reserved.delete(orderId); // a second release finds nothing: also safe to repeat
  }
}

// #region payments
export class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
  readonly retryable = false; // a decline is final: the saga does not retry the step
}

/** A fake payment service that declines charges above a limit. One charge per key. */
export class Payments {
  readonly charges = new Map<string, { paymentId: string; amountCents: number; refunded: boolean }>(); // by key
  constructor(readonly limitCents: number) {}

  async charge(amountCents: number, idempotencyKey: string): Promise<{ paymentId: string }> {
    const done = this.charges.get(idempotencyKey);
    if (done) return { paymentId: done.paymentId };
    if (amountCents > this.limitCents) throw new PaymentDeclined(`${amountCents} cents is over the limit`);
    const paymentId = `pay-${this.charges.size + 1}`;
    this.charges.set(idempotencyKey, { paymentId, amountCents, refunded: false });
    return { paymentId };
  }

  refund(paymentId: string): void {
    for (const charge of this.charges.values()) if (charge.paymentId === paymentId) charge.refunded = true;
  }
}

// #endregion

/** The order service's side: an order's status. */
export class Orders {
  readonly status = new Map<string, string>();
  confirm(orderId: string): void {
    this.status.set(orderId, 'confirmed');
  }
  cancel(orderId: string, reason: string): void {
    this.status.set(orderId, `cancelled: ${reason}`);
  }
}
