export { describeEventStoreContract } from './testing/event-store-contract.js';
export type { AdapterFactory, ContractExpect, ContractMatchers, ContractTestApi } from './testing/event-store-contract.js';
export { AggregateScenario, ScenarioOutcome, scenario } from './testing/aggregate-scenario.js';
export type { ExpectedEvent } from './testing/aggregate-scenario.js';
export { nodeTestApi } from './testing/contract/node-test-api.js';
export type { RunnerWithoutExpect } from './testing/contract/node-test-api.js';
export { assertExpect } from './testing/contract/assert-expect.js';
export type { AssertExpectation, AssertMatchers, AsyncExpectation } from './testing/contract/assert-expect.js';
