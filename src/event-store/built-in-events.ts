import type { EventDefinition } from '../core/event.js';

const builtIn = new Map<string, EventDefinition>();

/**
 * The hook through which a layer above the store (sagas) makes its own event types known to every
 * store, so that any process reading the log decodes them, whether or not it runs that layer's
 * code (a reader of the whole log, an export, a process with no saga coordinator). The package
 * entry registers the saga transitions here; the store itself imports nothing above it.
 */
export function registerBuiltInEvents(definitions: readonly EventDefinition[]): void {
  for (const definition of definitions) builtIn.set(definition.type, definition);
}

/** The definitions every new store registers before any of its own. */
export function builtInEvents(): Iterable<EventDefinition> {
  return builtIn.values();
}
