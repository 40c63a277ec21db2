import type { EventRecord } from './event-record.js';
import { InvalidArgumentError, UnknownEventTypeError } from './errors.js';
import type { Event, EventDefinition } from './event.js';
import { compileDefinition, decodeEvent, decodeRaw, type CompiledDefinition, type DecodeOptions } from './serializer.js';

/** How reads treat a stored event type with no registered definition. */
export type UnknownEventsPolicy = 'error' | 'raw';

/** @internal the store's event definitions by type, compiled once. */
export class EventRegistry {
  readonly #byType = new Map<string, CompiledDefinition>();

  constructor(
    private readonly decodeOptions: DecodeOptions,
    readonly unknownEvents: UnknownEventsPolicy,
  ) {}

  register(definition: EventDefinition): void {
    const existing = this.#byType.get(definition.type);
    if (existing?.definition === definition) return;
    if (existing) {
      throw new InvalidArgumentError(
        'event definition',
        `another definition of ${JSON.stringify(definition.type)} is already registered`,
      );
    }
    this.#byType.set(definition.type, compileDefinition(definition));
  }

  registerAll(definitions: readonly EventDefinition[]): void {
    for (const definition of definitions) this.register(definition);
  }

  get(eventType: string): CompiledDefinition | undefined {
    return this.#byType.get(eventType);
  }

  decode(record: EventRecord, unknownEvents = this.unknownEvents): Event {
    const compiled = this.#byType.get(record.eventType);
    if (compiled) return decodeEvent(record, compiled, this.decodeOptions);
    if (unknownEvents === 'raw') return decodeRaw(record);
    throw new UnknownEventTypeError(record.eventType, record.globalPosition);
  }

  decodeAll(records: readonly EventRecord[], unknownEvents = this.unknownEvents): Event[] {
    const events = new Array<Event>(records.length);
    for (let i = 0; i < records.length; i++) events[i] = this.decode(records[i] as EventRecord, unknownEvents);
    return events;
  }
}
