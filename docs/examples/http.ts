// docs/http.md: a plain node:http server over eventuali/http. test/docs/snippets.test.ts runs main().
// #region node-server
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { Aggregate, AggregateNotFoundError, ConcurrencyError, EventStore, InvalidArgumentError, defineEvent, type EventOf } from '../../src/index.js';
import { eventToJson, parseIfMatch, toEtag, toHttpError } from '../../src/http.js';

export const TaskAdded = defineEvent('TaskAdded', z.object({ title: z.string().min(1) }));
export const TaskRenamed = defineEvent('TaskRenamed', z.object({ title: z.string().min(1) }));

export class Task extends Aggregate {
  static override readonly aggregateType = 'Task';
  title = '';
  add(title: string) { this.apply(TaskAdded.create({ title })); }
  rename(title: string) { this.apply(TaskRenamed.create({ title })); }
  applyTaskAdded(event: EventOf<typeof TaskAdded>) { this.title = event.data.title; }
  applyTaskRenamed(event: EventOf<typeof TaskRenamed>) { this.title = event.data.title; }
}

/** Loads a task as the request saw it: 404 when missing, 412 when `If-Match` names another version. */
export async function loadTask(store: EventStore, id: string, expectedVersion: number | undefined): Promise<Task> {
  const task = await store.load(Task, id);
  if (!task) throw new AggregateNotFoundError('Task', id);
  if (expectedVersion !== undefined && task.version !== expectedVersion) {
    throw new ConcurrencyError(id, expectedVersion, task.version);
  }
  return task; // a write between this load and save() is a ConcurrencyError from save() itself
}

export function createTaskServer(store: EventStore): Server {
  return createServer((request, response) => {
    route(store, request, response).catch((error: unknown) => {
      const ifMatch = request.headers['if-match'] !== undefined;
      const { status, headers, body } = toHttpError(error, { ifMatch, instance: request.url ?? '/' });
      if (status >= 500) console.error(error); // the body says nothing about it: log it here
      response.writeHead(status, headers).end(JSON.stringify(body));
    });
  });
}

async function route(store: EventStore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const [, collection, id, sub] = (request.url ?? '/').split('?')[0]!.split('/');
  if (collection !== 'tasks') return send(response, 404, { title: 'No such route' });
  if (request.method === 'POST' && id === undefined) {
    const task = new Task();
    task.add(titleOf(await readJson(request)));
    await store.save(task);
    return send(response, 201, { id: task.id, title: task.title }, { etag: toEtag(task.version), location: `/tasks/${task.id}` });
  }
  if (id === undefined) return send(response, 404, { title: 'No such route' });
  if (request.method === 'GET' && sub === undefined) {
    const task = await loadTask(store, id, undefined);
    return send(response, 200, { id, title: task.title }, { etag: toEtag(task.version) });
  }
  if (request.method === 'GET' && sub === 'events') {
    // Event envelopes hold bigint positions, which JSON.stringify refuses: eventToJson first.
    return send(response, 200, (await store.loadEvents(id)).map(eventToJson));
  }
  if (request.method === 'PUT' && sub === 'title') {
    const expectedVersion = parseIfMatch(request.headers['if-match']); // malformed: 400
    if (expectedVersion === undefined) return preconditionRequired(response);
    const task = await loadTask(store, id, expectedVersion);
    task.rename(titleOf(await readJson(request)));
    await store.save(task);
    return send(response, 200, { id, title: task.title }, { etag: toEtag(task.version) });
  }
  return send(response, 405, { title: 'Method not allowed' });
}

function titleOf(body: unknown): string {
  const title = (body as { title?: unknown } | null)?.title;
  // A title the schema refuses ('') is an EventValidationError: toHttpError answers 400 with the issues.
  if (typeof title !== 'string') throw new InvalidArgumentError('title', 'must be a string');
  return title;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidArgumentError('body', 'is not JSON');
  }
}

/** 428: this route changes a task only for a client that says which version it saw. */
function preconditionRequired(response: ServerResponse): void {
  response
    .writeHead(428, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title: 'Precondition Required', status: 428, detail: 'Send If-Match with the ETag you read' }));
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
// #endregion

/** Runs the server on a free port and walks through the answers docs/http.md describes. */
export async function main(url = 'memory:') {
  const store = await EventStore.create(url);
  const server = createTaskServer(store);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, etag: response.headers.get('etag'), type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
  };
  try {
    const created = await call('POST', '/tasks', { title: 'Write the docs' });
    const id = created.body['id'] as string;
    const renamed = await call('PUT', `/tasks/${id}/title`, { title: 'Ship the docs' }, { 'if-match': created.etag! });
    const stale = await call('PUT', `/tasks/${id}/title`, { title: 'Too late' }, { 'if-match': created.etag! });
    const missing = await call('PUT', `/tasks/${id}/title`, { title: 'No version' });
    const malformed = await call('PUT', `/tasks/${id}/title`, { title: 'x' }, { 'if-match': 'three' });
    const invalid = await call('POST', '/tasks', { title: '' });
    const unknown = await call('GET', '/tasks/nope');
    const events = await call('GET', `/tasks/${id}/events`);
    return {
      created: [created.status, created.etag],
      renamed: [renamed.status, renamed.etag, renamed.body['title']],
      stale: [stale.status, stale.type, stale.body['code'], stale.body['expectedVersion'], stale.body['actualVersion']],
      missing: missing.status,
      malformed: [malformed.status, malformed.body['argument']],
      invalid: [invalid.status, (invalid.body['issues'] as { path: string[] }[]).map((issue) => issue.path.join('.'))],
      unknown: [unknown.status, unknown.body['code']],
      events: (events.body as unknown as { eventType: string; globalPosition: string }[]).map((e) => `${e.eventType}@${typeof e.globalPosition}`),
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  }
}
