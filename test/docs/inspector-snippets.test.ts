import { describe, expect, it } from 'vitest';
import { EventStore } from '../../src/index.js';
import { main as inspector } from '../../docs/examples/inspector.js';

describe('docs/examples/inspector.ts', () => {
  it('mounts the inspector on plain node:http and Fastify', async () => {
    const store = await EventStore.create('sqlite::memory:');
    try {
      expect(await inspector(store)).toEqual({ plain: [200, 200, 404], fastify: [200, 200, 200] });
    } finally {
      await store.close();
    }
  });
});
