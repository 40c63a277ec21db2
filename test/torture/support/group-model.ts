import { z } from 'zod';
import { defineReadModel } from '../../../src/index.js';
import { Noted } from './events.js';

/** Each aggregate's Noted events counted; `gaps` counts events that did not follow the last one applied. */
export function perAggregate(name: string) {
  return defineReadModel({
    name,
    schema: z.object({ count: z.number().int(), lastVersion: z.number().int(), gaps: z.number().int() }),
    events: [Noted],
    evolve: (doc, event) => ({
      count: (doc?.count ?? 0) + 1,
      lastVersion: event.aggregateVersion,
      gaps: (doc?.gaps ?? 0) + (event.aggregateVersion === (doc?.lastVersion ?? 0) + 1 ? 0 : 1),
    }),
  });
}
