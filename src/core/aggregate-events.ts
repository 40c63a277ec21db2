import type { EventDefinition, EventOf } from './event.js';

/**
 * The compile-time check of an aggregate class that lists its events (`static readonly events =
 * [ItemAdded, ItemRemoved] as const`): every public `apply<Name>` method names an event of the
 * list and takes that event's envelope, and every listed event has its method. `unknown` (no
 * check) for a class without `events`. `store.load`, `store.update` and `scenario` require it of
 * the class they are given, so a typo (`applyItemAded`) or a handler typed for another event is a
 * compile error there, naming the method.
 */
export type CheckedAggregateClass<C> = C extends { readonly events: infer D extends readonly EventDefinition[] }
  ? C extends abstract new (...args: never[]) => infer T
    ? UnknownHandlers<T, D> & HandlerProblems<T, D>
    : unknown
  : unknown;

/** The event definitions an aggregate class lists in its `static events`. */
export type AggregateEvents<C> = C extends { readonly events: infer D extends readonly EventDefinition[] } ? D[number] : never;

type HandlerOf<T, Type extends string> = `apply${Type}` extends keyof T ? T[`apply${Type}`] : undefined;

/** A property the class lacks for each `apply<Name>` method whose Name is not a listed event type. */
type UnknownHandlers<T, D extends readonly EventDefinition[]> = {
  readonly [K in keyof T as K extends `apply${infer Name}`
    ? Name extends '' | D[number]['type']
      ? never
      : `${K} handles no event of the class's static events`
    : never]: never;
};

/** A property the class lacks for each listed event without a method, or with a method for another event. */
type HandlerProblems<T, D extends readonly EventDefinition[]> = {
  readonly [Type in D[number]['type'] as HandlerOf<T, Type> extends undefined
    ? `apply${Type} is missing`
    : HandlerOf<T, Type> extends (event: EventOf<Extract<D[number], { type: Type }>>) => unknown
      ? never
      : `apply${Type} must take EventOf<typeof ${Type}>`]: never;
};
