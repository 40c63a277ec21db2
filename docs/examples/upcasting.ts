// docs/events.md, "Schema versions": an event whose shape changed after events were stored.
// #region imports
import { z } from 'zod';
import { EventStore, MemoryAdapter, defineEvent } from '../../src/index.js';
// #endregion

// #region v1
// What the code said when the first events were stored (version 1 is the default).
export const CustomerRenamedV1 = defineEvent('CustomerRenamed', z.object({ name: z.string() }));
// #endregion

// #region v2
// What it says now. Stored rows keep version 1; reads upcast them to version 2's shape.
export const CustomerRenamed = defineEvent(
  'CustomerRenamed',
  z.object({ firstName: z.string(), lastName: z.string() }),
  {
    version: 2,
    upcast: {
      // From version 1 to version 2. Its input is stored JSON, so check it rather than trust it.
      1: (old) => {
        const { name } = z.object({ name: z.string() }).parse(old);
        const [firstName = '', ...rest] = name.split(' ');
        return { firstName, lastName: rest.join(' ') };
      },
    },
  },
);
// #endregion

// #region main
export async function main() {
  // Two stores over one database: last year's code, which wrote version 1, and today's.
  const adapter = new MemoryAdapter();
  const lastYear = new EventStore(adapter);
  await lastYear.append('Customer', 'c-1', 'no-stream', [CustomerRenamedV1.create({ name: 'Ann Lee' })]);

  const today = new EventStore(adapter).register(CustomerRenamed);
  await today.append('Customer', 'c-1', 1, [CustomerRenamed.create({ firstName: 'Ann', lastName: 'Smith' })]);
  const events = await today.loadEvents('c-1');
  return events.map((event) => ({ schemaVersion: event.schemaVersion, data: event.data }));
  // [{ schemaVersion: 2, data: { firstName: 'Ann', lastName: 'Lee' } },
  //  { schemaVersion: 2, data: { firstName: 'Ann', lastName: 'Smith' } }]
}
// #endregion
