import { expect } from 'vitest';

/**
 * The gateway serves the eventuali inspector at /inspector in development, read-only, over the
 * services' store: after the journey it shows their subscriptions and the order sagas, and refuses
 * a write action with 403.
 */
export async function checkInspector(gatewayUrl: string): Promise<void> {
  const page = await fetch(`${gatewayUrl}/inspector/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await page.text()).toContain('href="/inspector/sagas"');
  const overview = (await (await fetch(`${gatewayUrl}/inspector/api/overview`)).json()) as {
    head: string;
    subscriptions: { id: string }[];
    sagas: Record<string, number>;
  };
  expect(Number(overview.head)).toBeGreaterThan(0);
  expect(overview.subscriptions.length).toBeGreaterThan(0);
  expect((overview.sagas['completed'] ?? 0) + (overview.sagas['compensated'] ?? 0)).toBeGreaterThan(0);
  const write = await fetch(`${gatewayUrl}/inspector/api/dead-letters/any/discard`, { method: 'POST' });
  expect(write.status).toBe(403);
}
