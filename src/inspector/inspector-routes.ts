import { eventPage, streamPage, streamsPage } from './browse-pages.js';
import type { SafeHtml } from './html.js';
import type { InspectorData } from './inspector-data.js';
import { deadLettersPage, sagaPage, sagasPage, tailPage } from './operations-pages.js';
import { overviewPage, type Overview } from './overview-page.js';
import { SAGA_STATUSES, type SagaStatus } from '../saga/saga-instance.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { PageContext } from './page-layout.js';

/** What a GET route answers: a page, JSON, or nothing found. */
export type RouteResult = { html: SafeHtml } | { json: unknown } | { notFound: string };

export interface RouteRequest {
  ctx: PageContext;
  data: InspectorData;
  query: URLSearchParams;
  /** The path's segments after the route's prefix, decoded. */
  params: string[];
}

type Route = (request: RouteRequest) => Promise<RouteResult>;

const TAIL_START = 50;
const TAIL_PAGE_MAX = 500;

async function overview(data: InspectorData): Promise<Overview> {
  const [head, streams, rate, subscriptions, sagas] = await Promise.all([
    data.head(),
    data.countStreams(),
    data.rate(),
    data.subscriptions(),
    data.sagaCounts(),
  ]);
  return {
    head: head.toString(),
    streams,
    rate,
    subscriptions,
    sagas,
    deadLetters: subscriptions.reduce((n, s) => n + s.deadLetters, 0),
  };
}

function positionParam(query: URLSearchParams, name: string): bigint | undefined {
  const text = query.get(name);
  return text !== null && /^(0|[1-9][0-9]{0,18})$/.test(text) ? BigInt(text) : undefined;
}

function limitParam(query: URLSearchParams, fallback: number, max: number): number {
  const n = Number(query.get('limit') ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

function streamQuery(query: URLSearchParams): { id: string; type: string; after: string } {
  return { id: (query.get('id') ?? '').trim(), type: (query.get('type') ?? '').trim(), after: query.get('after') ?? '' };
}

/** `?status=`: a saga status, or all when absent. */
function statusParam(query: URLSearchParams): SagaStatus | undefined {
  const status = query.get('status') ?? '';
  if (status === '') return undefined;
  if (!(SAGA_STATUSES as readonly string[]).includes(status)) throw new InvalidArgumentError('status', `must be a saga status, got ${JSON.stringify(status.slice(0, 40))}`);
  return status as SagaStatus;
}

/** Pages, by their first path segment ('' is the overview). */
export const PAGE_ROUTES: Record<string, Route> = {
  '': async ({ ctx, data, params }) => (params.length > 0 ? { notFound: 'page' } : { html: overviewPage(ctx, await overview(data)) }),
  streams: async ({ ctx, data, query, params }) => {
    const [id] = params;
    if (id !== undefined) return { html: streamPage(ctx, id, await data.stream(id)) };
    const q = streamQuery(query);
    return { html: streamsPage(ctx, q, await data.streams(q)) };
  },
  events: async ({ ctx, data, params }) => {
    const event = params[0] === undefined ? undefined : await data.event(params[0]);
    return event ? { html: eventPage(ctx, event, await data.links(event)) } : { notFound: 'event' };
  },
  tail: async ({ ctx, data }) => {
    const events = await data.recent(TAIL_START);
    const head = events.at(-1)?.globalPosition ?? (await data.head()).toString();
    return { html: tailPage(ctx, head, events) };
  },
  'dead-letters': async ({ ctx, data, query }) => {
    const [subscriptions, letters] = await Promise.all([data.subscriptions(), data.deadLetters()]);
    return { html: deadLettersPage(ctx, subscriptions, letters, query.get('notice') ?? undefined) };
  },
  sagas: async ({ ctx, data, query, params }) => {
    const [id] = params;
    if (id !== undefined) {
      const saga = await data.saga(id);
      return saga ? { html: sagaPage(ctx, saga.state, saga.steps) } : { notFound: 'saga' };
    }
    const status = statusParam(query);
    return { html: sagasPage(ctx, status ?? '', await data.sagas(status)) };
  },
};

/** JSON endpoints under `api/`, by their first segment. */
export const API_ROUTES: Record<string, Route> = {
  overview: async ({ data }) => ({ json: await overview(data) }),
  streams: async ({ data, query, params }) => {
    const [id] = params;
    if (id !== undefined) return { json: { aggregateId: id, events: await data.stream(id) } };
    return { json: await data.streams(streamQuery(query)) };
  },
  events: async ({ data, query, params }) => {
    const [id] = params;
    if (id !== undefined) {
      const event = await data.event(id);
      return event ? { json: { event, links: await data.links(event) } } : { notFound: 'event' };
    }
    const after = positionParam(query, 'after');
    const limit = limitParam(query, 100, TAIL_PAGE_MAX);
    return { json: { events: after === undefined ? await data.recent(limit) : await data.after(after, limit) } };
  },
  subscriptions: async ({ data }) => ({ json: { subscriptions: await data.subscriptions() } }),
  'dead-letters': async ({ data }) => ({ json: { deadLetters: await data.deadLetters() } }),
  sagas: async ({ data, query, params }) => {
    const [id] = params;
    if (id !== undefined) {
      const saga = await data.saga(id);
      return saga ? { json: saga } : { notFound: 'saga' };
    }
    return { json: { sagas: await data.sagas(statusParam(query)) } };
  },
};
