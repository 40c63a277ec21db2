import type { EventStore } from '../event-store/event-store.js';
import { aggregateInternals } from '../core/aggregate.js';
import { SAGA_AGGREGATE_TYPE, SagaInstance, type SagaState } from './saga-instance.js';

/** @internal every saga's state, folded from the saga events read so far; each refresh reads only new ones. */
export class SagaIndex {
  readonly #sagas = new Map<string, SagaInstance>();
  #position = 0n;
  #refreshing: Promise<SagaState[]> | undefined;

  constructor(private readonly store: EventStore) {}

  refresh(): Promise<SagaState[]> {
    this.#refreshing ??= this.#read().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #read(): Promise<SagaState[]> {
    for (;;) {
      const page = await this.store.readAll({ fromPosition: this.#position, limit: 1000, aggregateTypes: [SAGA_AGGREGATE_TYPE] });
      for (const event of page) {
        let saga = this.#sagas.get(event.aggregateId);
        if (!saga) this.#sagas.set(event.aggregateId, (saga = new SagaInstance(event.aggregateId)));
        aggregateInternals().replay(saga, [event]);
      }
      const last = page.at(-1);
      if (last) this.#position = last.globalPosition;
      if (page.length < 1000) break;
    }
    return [...this.#sagas.values()].map((s) => s.toState());
  }
}
