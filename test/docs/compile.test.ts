import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBlocks, typescriptBlocks } from './compile-snippets.js';
import { markdownFiles, REPO_ROOT } from './snippets.js';

describe('docs: every TypeScript block compiles on its own, as a reader would paste it', () => {
  const blocks = markdownFiles().flatMap((file) => typescriptBlocks(readFileSync(join(REPO_ROOT, file), 'utf8'), file));

  it('finds the blocks of the README and the guides', () => {
    expect(blocks.some((block) => block.file === 'README.md')).toBe(true);
    expect(blocks.some((block) => block.file === 'docs/guides/microservices.md')).toBe(true);
  });

  it('type-checks every block against the built package', { timeout: 180_000 }, () => {
    expect(existsSync(join(REPO_ROOT, 'dist/index.d.ts')), 'run `npm run build` first (npm test does it)').toBe(true);
    const errors = compileBlocks(blocks);
    expect(errors.map((error) => `${error.where}: ${error.message}`)).toEqual([]);
  });

  it('fails a fragment that uses a name it does not import', { timeout: 180_000 }, () => {
    const errors = compileBlocks([
      { file: 'x.md', line: 10, source: undefined, text: "const store = await EventStore.create('memory:');" },
      { file: 'y.md', line: 20, source: undefined, text: "import { EventStore } from 'eventuali';\nconst store = await EventStore.create('memory:');\nawait store.close();" },
    ]);
    expect(errors.map((error) => error.where)).toEqual(['x.md:11']);
    expect(errors[0]?.message).toMatch(/Cannot find name 'EventStore'/);
  });
});
