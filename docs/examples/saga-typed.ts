// docs/sagas.md: typed start() and typed step results.
// #region typed-saga
import { z } from 'zod';
import { EventStore, SagaCoordinator, defineSaga } from '../../src/index.js';

export const shipmentSaga = defineSaga('shipment', {
  input: z.object({ orderId: z.string(), weightGrams: z.number().int().positive() }),
  steps: [
    {
      name: 'bookCarrier',
      execute: async (ctx) => ({ trackingId: `trk-${ctx.input.orderId}` }),
    },
    {
      name: 'printLabel',
      // ctx.results.bookCarrier is typed by bookCarrier's execute: { trackingId: string }.
      execute: (ctx) => ({ label: `${ctx.results.bookCarrier.trackingId} / ${ctx.input.weightGrams} g` }),
    },
  ],
});

export async function ship(store: EventStore, orderId: string) {
  const coordinator = new SagaCoordinator(store, { sagas: [shipmentSaga] });
  try {
    // The name and the input are checked at compile time: 'shipmnt', or weightGrams: '900', do not compile.
    const sagaId = await coordinator.start('shipment', { orderId, weightGrams: 900 });
    return await coordinator.waitFor(sagaId, { timeoutMs: 10_000 });
  } finally {
    await coordinator.stop();
  }
}
// #endregion

export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  try {
    const state = await ship(store, 'o-1');
    return { status: state.status, results: state.results };
  } finally {
    await store.close();
  }
}
