import { InvalidArgumentError } from '../core/errors.js';
import { checkId, type Event } from '../core/event.js';
import { compileReviver, type Reviver } from '../core/json-reviver.js';
import { safeParseData } from '../core/parse-data.js';
import { toJson } from '../core/serializer.js';
import type { DocumentCollection, DocumentWriter } from '../store/document-storage.js';
import type { Projection, ProjectionHandler } from '../streaming/projection.js';
import type { ReadModel } from './define-read-model.js';
import { DocumentValidationError } from './read-model-errors.js';

/** How a read model's documents are stored and read back: JSON text, Dates and bigints revived by the schema. @internal */
export interface DocumentCodec {
  readonly collection: DocumentCollection;
  /** Validates with the schema (defaults applied, unknown keys stripped) and serializes. Throws `DocumentValidationError`. */
  encode(id: string, doc: unknown): string;
  decode(json: string): unknown;
}

const codecs = new WeakMap<ReadModel, DocumentCodec>();

/** The read model's codec, compiled once. @internal */
export function documentCodec(model: ReadModel): DocumentCodec {
  let codec = codecs.get(model);
  if (!codec) {
    const reviver: Reviver | null = compileReviver(model.schema);
    codec = {
      collection: { name: model.name, indexes: model.indexes },
      encode(id, doc) {
        const result = safeParseData(model.schema, doc, `document ${id} of ${model.name}`);
        if (!result.success) throw new DocumentValidationError(model.name, id, result.error.issues);
        return toJson(result.data, `document ${id} of ${model.name}`);
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
 * Applies one event to the read model in the transaction behind `documents`: loads the document,
 * evolves it, validates and writes it (or deletes it on null). @internal
 */
export async function applyToDocuments(model: ReadModel, documents: DocumentWriter | undefined, event: Event): Promise<void> {
  if (!documents) throw new InvalidArgumentError('read model', `${model.name} needs an adapter that keeps documents`);
  const codec = documentCodec(model);
  const id = model.documentId(event);
  checkId(`document id of ${model.name}`, id);
  const stored = await documents.get(codec.collection, id);
  const next = await model.evolve(stored === null ? null : codec.decode(stored), event);
  if (next === null || next === undefined) {
    if (stored !== null) await documents.delete(codec.collection, id);
    return;
  }
  await documents.put(codec.collection, id, codec.encode(id, next));
}

/**
 * The projection that keeps a read model: each event of its types goes through `applyToDocuments`
 * in the projection's transaction (with the checkpoint, or inline with the events); `setup`
 * creates the table and its indexes, `reset` (rebuild) empties it. @internal
 */
export function readModelProjection(model: ReadModel): Projection {
  const codec = documentCodec(model);
  const handler: ProjectionHandler = (event, ctx) => applyToDocuments(model, ctx.documents, event);
  const types = new Set(model.eventTypes);
  return {
    name: model.name,
    definitions: model.events,
    eventTypes: model.eventTypes,
    handlerFor: (eventType) => (types.has(eventType) ? handler : undefined),
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
