// #region imports
import type { OutgoingHttpHeaders } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, isSpanContextValid, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
// #endregion

/** Spans of the example's own HTTP code (the library's spans come from the 'eventuali' tracer). */
const tracer = () => trace.getTracer('eventuali-example-http');

/**
 * A SERVER span for every request a service answers, continuing the caller's trace (W3C
 * `traceparent` extracted with the registered propagator), active while the route runs, so the
 * store calls, logs and outgoing calls of the route belong to it. The answer carries the trace in
 * a `traceresponse` header (W3C Trace Context level 2), so a client can look the trace up.
 * Without a registered tracer provider the spans are no-ops and no header is set.
 */
export function installHttpTracing(app: FastifyInstance): void {
  const requests = new WeakMap<FastifyRequest, { span: Span; context: Context }>();
  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      request.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0] ?? request.url,
          'url.scheme': request.protocol,
          'client.address': request.ip,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    requests.set(request, { span, context: active });
    const spanContext = span.spanContext();
    if (isSpanContextValid(spanContext)) {
      reply.header('traceresponse', `00-${spanContext.traceId}-${spanContext.spanId}-${spanContext.traceFlags.toString(16).padStart(2, '0')}`);
    }
    context.with(active, done);
  });
  // The body was read outside the request's context: enter it again for the route itself.
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = requests.get(request);
    if (entry) context.with(entry.context, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const entry = requests.get(request);
    if (entry) {
      const route = request.routeOptions.url;
      if (route !== undefined) {
        entry.span.updateName(`${request.method} ${route}`);
        entry.span.setAttribute('http.route', route);
      }
      entry.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
      requests.delete(request);
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    const entry = requests.get(request);
    entry?.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted' }).end();
    requests.delete(request);
    done();
  });
}

/**
 * Runs an outgoing HTTP call in a CLIENT span, child of the active one, with the trace context
 * injected into a copy of `headers` (what `send` gets): the called service continues the trace.
 */
export async function tracedCall<T extends { status: number }>(
  base: URL,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  send: (headers: OutgoingHttpHeaders) => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'server.address': base.hostname,
      'server.port': Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      'url.full': `${base.origin}${path}`,
    },
  });
  const active = trace.setSpan(context.active(), span);
  const carrier: OutgoingHttpHeaders = { ...headers };
  propagation.inject(active, carrier);
  try {
    const answer = await context.with(active, () => send(carrier));
    span.setAttribute('http.response.status_code', answer.status);
    if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return answer;
  } catch (error) {
    span.setAttribute('error.type', (error as { code?: unknown }).code === undefined ? 'error' : String((error as { code?: unknown }).code));
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

// #region trace-fields
/**
 * `trace_id` and `span_id` of the active span, for log lines: pino's `mixin` option
 * (`pino({ mixin: traceFields })`, or Fastify's `logger: { mixin: traceFields }`). Nothing outside a trace.
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
// #endregion
