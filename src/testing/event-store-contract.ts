import type { EventStore } from '../event-store/event-store.js';
import type { EventStoreOptions } from '../core/store-options.js';
import { aggregateCases } from './contract/aggregate-cases.js';
import { appendCases } from './contract/append-cases.js';
import { closeCases } from './contract/close-cases.js';
import { concurrentAppendCases } from './contract/concurrent-append-cases.js';
import { consumerGroupCases } from './contract/consumer-group-cases.js';
import { commandOptionCases } from './contract/command-option-cases.js';
import { deciderCases } from './contract/decider-cases.js';
import { inspectionCases } from './contract/inspection-cases.js';
import { openStore, type AdapterFactory } from './contract/fixtures.js';
import { importCases } from './contract/import-cases.js';
import { readCases } from './contract/read-cases.js';
import { readModelCases } from './contract/read-model-cases.js';
import { schemaCases } from './contract/schema-cases.js';
import { transactionCases } from './contract/transaction-cases.js';
import type { ContractTestApi } from './contract/test-api.js';

export type { AdapterFactory } from './contract/fixtures.js';
export type { ContractExpect, ContractMatchers, ContractTestApi } from './contract/test-api.js';

/**
 * The storage contract every adapter passes, whole: expected versions, all-or-nothing batches,
 * idempotent retries, many concurrent appenders answered each for itself, global order, serialization, upcasting, metadata and Standard Schema
 * validation, snapshots, transactions (rollback-only after a failed operation, inline
 * projections), read models, consumer groups, operator queries (counts, stream lists, subscriptions), importing
 * exported events, and a close that settles every call in flight. Run it in
 * a test file against your adapter, passing your runner's functions; `createAdapter` is called
 * once per test.
 *
 * @example
 * import * as vitest from 'vitest';
 * import { describeEventStoreContract } from 'eventuali/testing';
 * describeEventStoreContract('my adapter', () => new MyAdapter(), vitest);
 */
export function describeEventStoreContract(name: string, createAdapter: AdapterFactory, runner: ContractTestApi): void {
  const { describe, afterEach } = runner;
  describe(`event store contract: ${name}`, () => {
    const opened: EventStore[] = [];
    const open = async (options?: EventStoreOptions) => {
      const handle = await openStore(createAdapter, options);
      opened.push(handle.store);
      return handle;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });
    describe('append', () => appendCases(open, runner));
    describe('concurrent appends', () => concurrentAppendCases(open, runner));
    describe('read', () => readCases(open, runner));
    describe('aggregates', () => aggregateCases(open, runner));
    describe('schemas', () => schemaCases(open, runner));
    describe('transactions', () => transactionCases(open, runner));
    describe('close', () => closeCases(open, runner));
    describe('deciders', () => deciderCases(open, runner));
    describe('update and save options', () => commandOptionCases(open, runner));
    describe('read models', () => readModelCases(open, runner));
    describe('import', () => importCases(open, runner));
    describe('operator queries', () => inspectionCases(open, runner));
    describe('consumer groups', () => consumerGroupCases(open, runner));
  });
}
