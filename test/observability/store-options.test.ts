import { describe, expect, it } from 'vitest';
import { EventStore, MemoryAdapter } from '../../src/index.js';

describe('observability options', () => {
  it.each([
    [{ tracing: 'yes' }, 'tracing'],
    [{ metrics: 1 }, 'metrics'],
    [{ logger: console.log }, 'logger'],
    [{ logger: { info: () => {}, warn: () => {}, error: () => {} } }, 'logger'],
  ])('refuses %o with INVALID_ARGUMENT naming %s', async (options, name) => {
    await expect(EventStore.create('memory:', options as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', argument: name });
    expect(() => new EventStore(new MemoryAdapter(), options as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('takes any object with the four methods, console included', async () => {
    const store = await EventStore.create('memory:', { logger: console, tracing: false, metrics: true });
    expect(store.instrumentation.logger).toBe(console);
    await store.close();
  });
});
