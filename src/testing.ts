export { describeEventStoreContract } from './testing/event-store-contract.js';
export type { AdapterFactory, ContractExpect, ContractMatchers, ContractTestApi } from './testing/event-store-contract.js';
export { AggregateScenario, ScenarioOutcome, scenario } from './testing/aggregate-scenario.js';
export type { ErrorPredicate, ExpectedEvent, ExpectEventsOptions } from './testing/aggregate-scenario.js';
export { DeciderOutcome, DeciderScenario, deciderScenario } from './testing/decider-scenario.js';
export type { ErrorExpectation } from './testing/error-matcher.js';
