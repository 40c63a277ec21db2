import type { Event, SagaState } from '../shared/eventuali.js';
import { formatCents } from '../shared/money.js';
import type { Order } from './order.js';
import { sagaIdFor } from './saga.js';

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** An order as the API shows it: snake_case, money as decimal strings. */
export function orderResponse(order: Order) {
  return {
    order_id: order.id,
    customer_id: order.customerId,
    items: order.items.map((i) => ({
      product_id: i.productId,
      quantity: i.quantity,
      price: formatCents(i.unitPriceCents),
      line_total: formatCents(i.unitPriceCents * i.quantity),
    })),
    total_amount: formatCents(order.totalAmountCents),
    shipping_address: order.shippingAddress,
    payment_method: order.paymentMethod,
    status: order.status,
    payment_status: order.paymentStatus,
    payment_id: order.paymentId,
    tracking_number: order.trackingNumber,
    carrier: order.carrier,
    estimated_delivery: iso(order.estimatedDelivery),
    delivered_to: order.deliveredTo,
    cancellation_reason: order.cancellationReason,
    refund_amount: formatCents(order.refundAmountCents),
    placed_at: iso(order.placedAt),
    shipped_at: iso(order.shippedAt),
    delivered_at: iso(order.deliveredAt),
    cancelled_at: iso(order.cancelledAt),
    saga_id: sagaIdFor(order.id),
    version: order.version,
  };
}

/** The saga of an order; `pending` before the saga-starter subscription has started it. */
export function sagaResponse(orderId: string, saga: SagaState | null, correlationId: string | null) {
  return {
    saga_id: sagaIdFor(orderId),
    order_id: orderId,
    status: saga?.status ?? 'pending',
    steps_completed: saga?.stepsCompleted ?? [],
    steps_compensated: saga?.stepsCompensated ?? [],
    failed_step: saga?.failedStep ?? null,
    failure_reason: saga?.failureReason ?? null,
    correlation_id: correlationId,
    started_at: iso(saga?.startedAt ?? null),
    ended_at: iso(saga?.endedAt ?? null),
  };
}

/** One stored event, with the ids that tie it to the request and the event that caused it. */
export function eventResponse(event: Event) {
  return {
    event_id: event.eventId,
    event_type: event.eventType,
    version: event.aggregateVersion,
    global_position: event.globalPosition.toString(),
    timestamp: event.timestamp.toISOString(),
    correlation_id: event.metadata.correlationId ?? null,
    causation_id: event.metadata.causationId ?? null,
  };
}
