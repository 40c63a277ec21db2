import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Aggregate } from '../../core/aggregate.js';
import { defineEvent, type EventOf } from '../../core/event.js';
import { EventStore } from '../../event-store/event-store.js';
import type { EventStoreOptions } from '../../core/store-options.js';
import type { EventRecord, NewEventRecord } from '../../store/event-log.js';
import type { StorageAdapter } from '../../store/adapter.js';
import type { StandardSchemaV1 } from '../../core/standard-schema.js';

/** Builds a fresh adapter for one test; the suite closes it afterwards. */
export type AdapterFactory = () => StorageAdapter | Promise<StorageAdapter>;

export const AccountOpened = defineEvent(
  'ContractAccountOpened',
  z.object({ owner: z.string().min(1), openedAt: z.date(), limit: z.bigint() }),
);
export const Deposited = defineEvent('ContractDeposited', z.object({ amount: z.number().int().positive() }));
export const Renamed = defineEvent(
  'ContractRenamed',
  z.object({ firstName: z.string(), lastName: z.string() }),
  { version: 2, upcast: { 1: (old) => splitName(old as { name: string }) } },
);

/** An event whose metadata has a schema: a client id, and when the client sent it (a Date). */
export const Tagged = defineEvent('ContractTagged', z.object({ tag: z.string() }), {
  metadata: z.object({ clientId: z.string().min(1), sentAt: z.date().optional() }),
});

/**
 * A Standard Schema v1 schema written by hand (no library): the suite checks the store runs any
 * such schema, not only zod's. Accepts `{ label: string }` and trims the label.
 */
export const labelSchema: StandardSchemaV1<{ label: string }, { label: string }> = {
  '~standard': {
    version: 1,
    vendor: 'eventuali-contract',
    validate(value) {
      const label = (value as { label?: unknown } | null)?.label;
      if (typeof value !== 'object' || value === null || typeof label !== 'string' || label.trim() === '') {
        return { issues: [{ message: 'label must be a non-empty string', path: [{ key: 'label' }] }] };
      }
      return { value: { label: label.trim() } };
    },
  },
};
export const Labelled = defineEvent('ContractLabelled', labelSchema, { metadata: labelSchema });

function splitName(old: { name: string }): { firstName: string; lastName: string } {
  const [firstName = '', lastName = ''] = old.name.split(' ');
  return { firstName, lastName };
}

export class Account extends Aggregate {
  static override readonly aggregateType = 'ContractAccount';
  owner = '';
  balance = 0;
  openedAt: Date | undefined;
  limit = 0n;
  name = '';

  open(owner: string, limit = 100n): void {
    if (!this.isNew()) throw new Error('already open');
    this.apply(AccountOpened.create({ owner, openedAt: new Date('2024-01-02T03:04:05.678Z'), limit }));
  }

  deposit(amount: number): void {
    this.apply(Deposited.create({ amount }));
  }

  applyContractAccountOpened(event: EventOf<typeof AccountOpened>): void {
    this.owner = event.data.owner;
    this.openedAt = event.data.openedAt;
    this.limit = event.data.limit;
  }

  applyContractDeposited(event: EventOf<typeof Deposited>): void {
    this.balance += event.data.amount;
  }

  applyContractRenamed(event: EventOf<typeof Renamed>): void {
    this.name = `${event.data.firstName} ${event.data.lastName}`;
  }
}

/** The same stream type with a new state shape: its snapshots must not be used. */
export class AccountV2 extends Account {
  static override readonly snapshotVersion = 2;
}

export const uid = (prefix = 'acc'): string => `${prefix}-${randomUUID()}`;

/** A raw record, as an older (or broken) writer would have stored it. */
export function rawRecord(eventType: string, data: string, schemaVersion = 1, metadata = '{}'): NewEventRecord {
  return { eventId: randomUUID(), eventType, schemaVersion, timestamp: new Date(), metadata, data };
}

/** Appends one raw record as a new ContractAccount stream, past the store's encoding (as an older writer would have). */
export function appendRaw(adapter: StorageAdapter, aggregateId: string, record: NewEventRecord): Promise<EventRecord[]> {
  return adapter.append({ aggregateId, aggregateType: 'ContractAccount', expectedVersion: 0, events: [record] });
}

/** Opens a store over a fresh adapter, with every fixture event registered. */
export async function openStore(
  factory: AdapterFactory,
  options: EventStoreOptions = {},
): Promise<{ store: EventStore; adapter: StorageAdapter }> {
  const adapter = await factory();
  const store = new EventStore(adapter, options).register(AccountOpened, Deposited, Renamed, Tagged, Labelled);
  return { store, adapter };
}

/** A promise with its resolve function, for ordering steps across concurrent calls. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** What `fn` threw, or undefined: for matching a thrown error's fields with the suite's matchers. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
