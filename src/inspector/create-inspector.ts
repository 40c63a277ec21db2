import type { IncomingMessage, ServerResponse } from 'node:http';
import { isEventualiError } from '../core/errors.js';
import type { EventStore } from '../event-store/event-store.js';
import { escapeHtml } from './html.js';
import { INSPECTOR_CSS, INSPECTOR_JS } from './inspector-assets.js';
import { bearerToken, cookieToken, isCrossSite, tokenCookie, tokenMatches } from './inspector-auth.js';
import { InspectorData } from './inspector-data.js';
import { discardDeadLetters, requestDeadLetterReplay } from '../operations/dead-letters.js';
import { resolveInspectorOptions, type InspectorOptions, type ResolvedInspectorOptions } from './inspector-options.js';
import { API_ROUTES, PAGE_ROUTES, type RouteResult } from './inspector-routes.js';
import { readFields, redirect, send, sendJson } from './http-io.js';
import type { PageContext } from './page-layout.js';

/** A `node:http` request handler; `next` (Express, middie) is called for paths outside the mount. */
export type InspectorHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** The request as Express and Fastify's middie leave it: the mount path taken off `url`. */
type MountedRequest = IncomingMessage & { baseUrl?: unknown; originalUrl?: unknown; body?: unknown };

interface Mounted {
  base: string;
  segments: string[];
  query: URLSearchParams;
  /** The URL as the browser sent it, without the token parameter. */
  cleanUrl: string;
  queryToken: string | undefined;
}

/**
 * The web inspector as a request handler: overview, stream browser, event view, live tail, dead
 * letters and sagas, as server-rendered pages and JSON under `api/`. Read-only unless `allowWrites`;
 * with a `token`, every request needs it.
 *
 * @example
 * const inspector = createInspector(store, { token: process.env.INSPECTOR_TOKEN, basePath: '/inspector' });
 * http.createServer((req, res) => inspector(req, res, () => { res.statusCode = 404; res.end(); })).listen(4000, '127.0.0.1');
 */
export function createInspector(store: EventStore, options: InspectorOptions = {}): InspectorHandler {
  const resolved = resolveInspectorOptions(options);
  const data = new InspectorData(store, resolved.subscriptions);
  return (req, res, next) => {
    const mounted = mount(req as MountedRequest, resolved.basePath);
    if (!mounted) {
      if (next) next();
      else send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    serve(req as MountedRequest, res, mounted, resolved, data).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else if (isEventualiError(error, 'INVALID_ARGUMENT')) failure(res, mounted, 400, error.message);
      else failure(res, mounted, 500, 'The inspector could not answer: see the server log.');
      if (!isEventualiError(error, 'INVALID_ARGUMENT')) process.emitWarning(`eventuali inspector: ${String(error)}`);
    });
  };
}

function mount(req: MountedRequest, basePath: string | undefined): Mounted | undefined {
  const url = new URL(req.url ?? '/', 'http://inspector.invalid');
  let path = url.pathname;
  let base = '';
  const frameworkBase = typeof req.baseUrl === 'string' ? req.baseUrl : originalBase(req, path);
  if (frameworkBase !== undefined && frameworkBase !== '') base = frameworkBase.replace(/\/$/, '');
  else if (basePath) {
    if (path !== basePath && !path.startsWith(`${basePath}/`)) return undefined;
    base = basePath;
    path = path.slice(basePath.length);
  }
  const queryToken = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  const search = url.searchParams.toString();
  let segments: string[];
  try {
    segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = ['\u0000'];
  }
  return { base, segments, query: url.searchParams, cleanUrl: `${base}${path || '/'}${search ? `?${search}` : ''}`, queryToken };
}

/** middie keeps the full URL in `originalUrl` and strips the prefix from `url`. */
function originalBase(req: MountedRequest, path: string): string | undefined {
  if (typeof req.originalUrl !== 'string' || req.originalUrl === req.url) return undefined;
  const original = new URL(req.originalUrl, 'http://inspector.invalid').pathname;
  const rest = path === '/' ? '' : path;
  return original.endsWith(rest) ? original.slice(0, original.length - rest.length) : undefined;
}

function wantsHtml(mounted: Mounted): boolean {
  return mounted.segments[0] !== 'api';
}

function failure(res: ServerResponse, mounted: Mounted, status: number, message: string, headers: Record<string, string> = {}): void {
  if (wantsHtml(mounted)) {
    send(res, status, 'text/html; charset=utf-8', `<!doctype html><link rel="icon" href="data:,"><title>${status}</title><p>${escapeHtml(message)}</p>`, headers);
  } else {
    sendJson(res, status, { status, error: message }, headers);
  }
}

async function serve(req: MountedRequest, res: ServerResponse, mounted: Mounted, options: ResolvedInspectorOptions, data: InspectorData): Promise<void> {
  const { token } = options;
  const [first = '', ...rest] = mounted.segments;
  if (first === 'assets' && req.method === 'GET') return asset(res, mounted, rest.join('/'));
  if (token !== undefined) {
    const given = bearerToken(req) ?? cookieToken(req);
    if (!tokenMatches(token, given)) {
      if (req.method === 'GET' && tokenMatches(token, mounted.queryToken)) {
        // First visit with ?token=: keep it in a cookie and take it out of the address bar.
        return redirect(res, mounted.cleanUrl, { 'Set-Cookie': tokenCookie(token, mounted.base || '/') });
      }
      return failure(res, mounted, 401, 'This inspector needs its token: open it with ?token=<token> or send Authorization: Bearer <token>.', {
        'WWW-Authenticate': 'Bearer realm="eventuali inspector"',
      });
    }
  }
  const ctx: PageContext = { base: mounted.base, allowWrites: options.allowWrites, token };
  if (req.method === 'POST') return write(req, res, mounted, options, data);
  if (req.method !== 'GET' && req.method !== 'HEAD') return failure(res, mounted, 405, 'Method not allowed', { Allow: 'GET, POST' });
  const api = first === 'api';
  const [name = '', ...params] = api ? rest : mounted.segments;
  const route = api ? API_ROUTES[name] : PAGE_ROUTES[name];
  if (!route) return failure(res, mounted, 404, 'Not found');
  const result: RouteResult = await route({ ctx, data, query: mounted.query, params });
  if ('notFound' in result) return failure(res, mounted, 404, `No such ${result.notFound}`);
  if ('json' in result) return sendJson(res, 200, result.json);
  send(res, 200, 'text/html; charset=utf-8', result.html.text);
}

function asset(res: ServerResponse, mounted: Mounted, name: string): void {
  if (name === 'inspector.css') return send(res, 200, 'text/css; charset=utf-8', INSPECTOR_CSS);
  if (name === 'inspector.js') return send(res, 200, 'text/javascript; charset=utf-8', INSPECTOR_JS);
  failure(res, mounted, 404, 'Not found');
}

/**
 * The write actions. Refused with 403 unless `allowWrites`, from another site, or (with a token)
 * without the token in the POST itself: a cookie alone is not enough for a write.
 */
async function write(req: MountedRequest, res: ServerResponse, mounted: Mounted, options: ResolvedInspectorOptions, data: InspectorData): Promise<void> {
  const [api, kind, id, action] = mounted.segments;
  const known =
    api === 'api' && id !== undefined && mounted.segments.length === 4 &&
    ((kind === 'dead-letters' && (action === 'discard' || action === 'replay')) || (kind === 'subscriptions' && action === 'replay-dead-letters'));
  if (!known) return failure(res, mounted, 404, 'Not found');
  if (!options.allowWrites) return failure(res, mounted, 403, 'This inspector is read-only (allowWrites is off).');
  if (isCrossSite(req)) return failure(res, mounted, 403, 'Write actions are refused from another site.');
  const fields = await readFields(req);
  if (options.token !== undefined && !tokenMatches(options.token, bearerToken(req) ?? fields['token'])) {
    return failure(res, mounted, 403, 'Write actions need the token in the request (Authorization header or token field).');
  }
  let outcome: { status: number; body: Record<string, unknown>; notice: string };
  if (kind === 'dead-letters') {
    const letter = await data.deadLetter(id);
    if (!letter) return failure(res, mounted, 404, 'No such dead letter');
    if (action === 'discard') {
      await discardDeadLetters(data.store, letter.subscriptionId, [id]);
      outcome = { status: 200, body: { discarded: letter }, notice: `Discarded the dead letter of event ${letter.eventId} (${letter.subscriptionId}).` };
    } else {
      // Marked in the store: the subscription's running instance, in whichever process, replays it within about a second.
      await requestDeadLetterReplay(data.store, letter.subscriptionId, [id]);
      outcome = {
        status: 202,
        body: { replayRequested: letter },
        notice: `Asked ${letter.subscriptionId} to replay the dead letter of event ${letter.eventId}: its running instance hands it to the handler within about a second.`,
      };
    }
  } else {
    const handle = data.handle(id);
    if (!handle) return failure(res, mounted, 409, `Subscription ${id} is not running in this process: its dead letters can only be replayed where its handler runs.`);
    const result = await handle.replayDeadLetters();
    outcome = { status: 200, body: { subscriptionId: id, ...result }, notice: `Replayed ${id}: ${result.handled} handled, ${result.failed} still failing.` };
  }
  if (String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    return redirect(res, `${mounted.base}/dead-letters?notice=${encodeURIComponent(outcome.notice)}`);
  }
  sendJson(res, outcome.status, outcome.body);
}
