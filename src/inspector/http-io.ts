import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../core/errors.js';

/**
 * Strict: only the handler's own script and stylesheet; inline SVG needs no more. Event data can
 * never run even if it reached the page as markup.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

export function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  securityHeaders(res);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  securityHeaders(res);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = 303;
  res.setHeader('Location', location);
  res.end();
}

const MAX_BODY = 16 * 1024;

/**
 * A POST's form fields: from the body a framework already parsed (`req.body`), or read here
 * (`application/x-www-form-urlencoded` or JSON, at most 16 KiB).
 */
export async function readFields(req: IncomingMessage & { body?: unknown }): Promise<Record<string, string>> {
  const parsed = req.body;
  if (parsed !== undefined && !Buffer.isBuffer(parsed) && typeof parsed !== 'string') {
    return typeof parsed === 'object' && parsed !== null ? stringFields(parsed as Record<string, unknown>) : {};
  }
  const text = parsed !== undefined ? parsed.toString() : await readText(req);
  if (text === '') return {};
  if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InvalidArgumentError('request body', 'is not JSON');
    }
    return typeof value === 'object' && value !== null ? stringFields(value as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function stringFields(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

async function readText(req: IncomingMessage): Promise<string> {
  if (req.readableEnded) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY) throw new InvalidArgumentError('request body', `is larger than ${MAX_BODY} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
