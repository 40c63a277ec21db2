/**
 * Rewrites the code blocks of README.md and docs/**\/*.md from the regions their
 * `<!-- snippet: file#region -->` markers name, so nobody copies code into the docs by hand.
 *
 *   npx tsx scripts/sync-snippets.ts          rewrite the blocks that are out of date
 *   npx tsx scripts/sync-snippets.ts --check  only report them; exit 1 if any is out of date
 *
 * The rules live in test/docs/snippets.ts, which test/docs/snippets.test.ts checks in CI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownFiles, REPO_ROOT, syncMarkdown } from '../test/docs/snippets.js';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const file of markdownFiles()) {
  const path = join(REPO_ROOT, file);
  const before = readFileSync(path, 'utf8');
  const after = syncMarkdown(before, file);
  if (after === before) continue;
  stale.push(file);
  if (!check) writeFileSync(path, after);
}
if (stale.length === 0) {
  console.log('snippets: every block matches its source');
} else if (check) {
  console.error(`snippets: out of date in ${stale.join(', ')}; run npx tsx scripts/sync-snippets.ts`);
  process.exitCode = 1;
} else {
  console.log(`snippets: rewrote ${stale.join(', ')}`);
}
