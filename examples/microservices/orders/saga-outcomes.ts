// #region imports
import { SAGA_AGGREGATE_TYPE, SagaCompensated, SagaFailed, type SagaCoordinator, type SagaState } from '../shared/eventuali.js';
import type { ServiceKit } from '../shared/service-kit.js';
import { Order } from './order.js';
import { ORDER_SAGA, orderIdOfSaga } from './saga.js';
// #endregion

/**
 * Cancels the order of every order saga that did not complete: compensated (a step failed and
 * was undone) or failed (a compensation failed too: logged for a person to look at). A durable
 * subscription on the saga's own events, so a cancellation is never lost to a crash; the
 * cancellation carries the saga's correlation id (ctx.save stamps it).
 */
// #region saga-outcomes
export function cancelOrdersOfFailedSagas(kit: ServiceKit, coordinator: SagaCoordinator) {
  return kit.subscribe({
    id: 'order-service.saga-outcomes',
    // Every saga event, not only the two it acts on: a durable subscription's checkpoint moves
    // only with the events it is given, and compensations are rare, so a subscription filtered to
    // them would read the whole log since the last one again on every poll.
    aggregateTypes: [SAGA_AGGREGATE_TYPE],
    handle: async (event, ctx) => {
      if (!SagaCompensated.is(event) && !SagaFailed.is(event)) return;
      const orderId = orderIdOfSaga(event.aggregateId);
      if (orderId === null) return;
      const saga = await coordinator.get(event.aggregateId);
      if (saga?.name !== ORDER_SAGA) return;
      if (saga.status === 'failed') {
        kit.log.error({ saga_id: saga.sagaId, reason: saga.failureReason }, 'order saga failed to compensate: needs a person');
      }
      const order = await kit.store.load(Order, orderId);
      if (!order || order.status === 'cancelled' || order.status === 'delivered') return;
      order.cancel(cancellationReason(saga), ORDER_SAGA);
      await ctx.save(order);
      kit.log.info({ order_id: orderId, saga_id: saga.sagaId, correlation_id: ctx.metadata.correlationId }, 'order cancelled by its saga');
    },
  });
}

function cancellationReason(saga: SagaState): string {
  const at = saga.failedStep ? ` at ${saga.failedStep}` : '';
  return `Order processing ${saga.status === 'failed' ? 'failed' : 'was undone'}${at}: ${saga.failureReason ?? 'unknown reason'}`;
}
// #endregion
