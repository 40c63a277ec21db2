import { InvalidArgumentError } from '../core/errors.js';
import { checkId, type Event } from '../core/event.js';
import { compileReviver, type Reviver } from '../core/json-reviver.js';
import { isZodSchema, validateValue } from '../core/schema.js';
import { toJson } from '../core/serializer.js';
import type { DocumentCollection, DocumentWriter } from '../store/documents.js';
import type { Projection, ProjectionHandler } from './projection.js';
import type { ReadModel } from './define-read-model.js';
import { DocumentValidationError } from './read-model-errors.js';

/** How a read model's documents are stored and read back: JSON text, Dates and bigints revived by the schema. @internal */
export interface DocumentCodec {
  readonly collection: DocumentCollection;
  /** Checks a document with the schema: its parsed value (defaults applied, unknown keys stripped). Throws `DocumentValidationError`. */
  validate(id: string, doc: unknown): unknown;
  /** JSON text of a validated document. */
  encode(id: string, doc: unknown): string;
  decode(json: string): unknown;
}

/** `\u0000` or a lone surrogate's escape (JSON.stringify escapes only those), not preceded by an escaped backslash. */
const UNSTORABLE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

const codecs = new WeakMap<ReadModel, DocumentCodec>();

/** The read model's codec, compiled once. @internal */
export function documentCodec(model: ReadModel): DocumentCodec {
  let codec = codecs.get(model);
  if (!codec) {
    // Dates and bigints come back from JSON where a zod schema declares them (as for events).
    const reviver: Reviver | null = isZodSchema(model.schema) ? compileReviver(model.schema) : null;
    codec = {
      collection: { name: model.name, indexes: model.indexes },
      validate(id, doc) {
        const result = validateValue(model.schema, doc, `document ${id} of ${model.name}`);
        if (!result.success) throw new DocumentValidationError(model.name, id, result.issues);
        return result.data;
      },
      encode(id, doc) {
        const json = toJson(doc, `document ${id} of ${model.name}`);
        if (json.includes('\\u') && UNSTORABLE.test(json)) {
          throw new InvalidArgumentError(`document ${id} of ${model.name}`, 'holds a NUL character or a lone UTF-16 surrogate, which not every store can keep');
        }
        return json;
      },
      decode(json) {
        const value: unknown = JSON.parse(json);
        return reviver ? reviver(value) : value;
      },
    };
    codecs.set(model, codec);
  }
  return codec;
}

/**
 * Applies events (in log order) to the read model in the transaction behind `documents`: loads
 * their documents at once, evolves and validates each event's document in memory, then writes
 * the changed ones at once (a null document is deleted). @internal
 */
export async function applyToDocuments(model: ReadModel, documents: DocumentWriter | undefined, events: readonly Event[]): Promise<void> {
  if (!documents) throw new InvalidArgumentError('read model', `${model.name} needs an adapter that keeps documents`);
  if (events.length === 0) return;
  const codec = documentCodec(model);
  const ids = events.map((event) => {
    const id = model.documentId(event);
    checkId(`document id of ${model.name}`, id);
    return id;
  });
  const stored = await documents.load(codec.collection, [...new Set(ids)]);
  // Each id's document as the events so far left it: null when there is none.
  const current = new Map<string, unknown>();
  for (let i = 0; i < events.length; i++) {
    const id = ids[i] as string;
    const json = stored.get(id);
    const doc = current.has(id) ? current.get(id) : json === undefined ? null : codec.decode(json);
    const next = await model.evolve(doc, events[i] as Event);
    current.set(id, next === null || next === undefined ? null : codec.validate(id, next));
  }
  const puts = new Map<string, string>();
  const deletes: string[] = [];
  for (const [id, doc] of current) {
    if (doc !== null) puts.set(id, codec.encode(id, doc));
    else if (stored.has(id)) deletes.push(id);
  }
  await documents.write(codec.collection, puts, deletes);
}

/**
 * The projection that keeps a read model: each event of its types goes through `applyToDocuments`
 * in the projection's transaction (with the checkpoint, or inline with the events); `setup`
 * creates the table and its indexes, `reset` (rebuild) empties it. @internal
 */
export function readModelProjection(model: ReadModel): Projection {
  const codec = documentCodec(model);
  const handler: ProjectionHandler = (event, ctx) => applyToDocuments(model, ctx.documents, [event]);
  const types = new Set(model.eventTypes);
  return {
    name: model.name,
    definitions: model.events,
    eventTypes: model.eventTypes,
    handlerFor: (eventType) => (types.has(eventType) ? handler : undefined),
    handleBatch: (events, ctx) => applyToDocuments(model, ctx.documents, events),
    setup: async (ctx) => {
      if (!ctx.documents) throw new InvalidArgumentError('read model', `${model.name} needs an adapter that keeps documents`);
      await ctx.documents.ensure(codec.collection);
    },
    reset: async (ctx) => {
      if (!ctx.documents) throw new InvalidArgumentError('read model', `${model.name} needs an adapter that keeps documents`);
      await ctx.documents.clear(codec.collection);
    },
  };
}
