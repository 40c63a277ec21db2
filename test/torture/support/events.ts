import { z } from 'zod';
import { Aggregate, defineEvent, type CreateEventOptions, type EventDefinition, type EventOf } from '../../../src/index.js';

/** A plain event with a number and a text. */
export const Noted = defineEvent('Noted', z.object({ n: z.number().int(), text: z.string() }));
/** An event with free JSON inside. */
export const Tagged = defineEvent('Tagged', z.object({ tags: z.array(z.string()), payload: z.json() }));
/** Any JSON value as data (hostile payloads). */
export const Anything = defineEvent('Anything', z.json());
/** What the Counter aggregate records. */
export const Counted = defineEvent('Counted', z.object({ by: z.number().int() }));
/** What the crash writer appends: the batch and the place in it. */
export const Written = defineEvent('Written', z.object({ writer: z.string(), batch: z.number().int(), index: z.number().int() }));

export const TORTURE_EVENTS: readonly EventDefinition[] = [Noted, Tagged, Anything, Counted, Written];

/** An aggregate with snapshots: a running total. */
export class Counter extends Aggregate {
  static override readonly aggregateType = 'Counter';
  total = 0;

  add(by: number, options: CreateEventOptions = {}): void {
    this.apply(Counted.create({ by }, options));
  }

  applyCounted(event: EventOf<typeof Counted>): void {
    this.total += event.data.by;
  }
}
