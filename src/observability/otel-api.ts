import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';

/** @internal the `@opentelemetry/api` module, as loaded. */
export type OtelApi = typeof OpenTelemetryApi;

/**
 * Where `@opentelemetry/api` 1.x keeps what an application registered (tracer provider, meter
 * provider, propagator, context manager), shared by every copy of the API in the process.
 */
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');

interface RegisteredGlobals {
  trace?: unknown;
  metrics?: unknown;
}

/**
 * @internal whether the application registered a tracer / meter provider. Reads one global
 * property: no allocation, no module load, so a store without a provider pays nothing per call,
 * and one whose application registers its provider later sees it on the next call.
 */
export function registered(kind: keyof RegisteredGlobals): boolean {
  const globals = (globalThis as Record<symbol, RegisteredGlobals | undefined>)[GLOBAL_KEY];
  return globals !== undefined && globals[kind] !== undefined;
}

let api: OtelApi | null | undefined;

/**
 * @internal the API, loaded once on first need; null when it is not installed (it is an optional
 * peer dependency). Loaded synchronously with `require` from this file's location, in the ESM
 * build as in the CJS one; the copy loaded may differ from the application's, which is how the
 * API is meant to be used: all copies share the registered globals above.
 */
export function otelApi(): OtelApi | null {
  if (api !== undefined) return api;
  try {
    // import.meta.url in the ESM build; the CJS build has __filename instead.
    const base = import.meta.url ?? __filename;
    api = createRequire(base)('@opentelemetry/api') as OtelApi;
  } catch {
    api = null;
  }
  return api;
}
