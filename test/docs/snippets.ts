import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Docs are code: every TypeScript block in README.md and docs/**\/*.md is a copy of a region of a
 * file that compiles (tsconfig includes docs/) and runs (test/docs/snippets.test.ts). A block is
 * marked by the comment line right above it:
 *
 *   <!-- snippet: docs/examples/quick-start.ts#quick-start -->
 *   ```ts
 *   …the region's text, with imports of ../../src/*.js rewritten to the package's entry points…
 *   ```
 *
 * and the region is delimited in the file by `// #region quick-start` and `// #endregion`. A marker
 * may name several regions (`file#imports+open`): the block shows them in that order, a blank line
 * between. Inside a region, lines between `// #elide … the other methods` and `// #endelide` show
 * as one comment, `// … the other methods`: a block elides, but never silently.
 * `npx tsx scripts/sync-snippets.ts` rewrites the blocks from the files.
 *
 * Regions may also come from the example system in examples/microservices (its TypeScript runs in
 * test/examples; its imports of `shared/eventuali.js` and `shared/eventuali-http.js`, the library's
 * source, show as `eventuali` and `eventuali/http`)
 * and from its deployment files (Dockerfile, YAML, nginx.conf), where the markers are
 * `# #region name` and `# #endregion`; a block keeps its fence's language.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MARKER = /^<!-- snippet: (\S+?)#(\S+) -->\s*$/;
const FENCE_OPEN = /^```(\w*)\s*$/;
const FENCE_CLOSE = /^```\s*$/;
const REGION_START = /^\s*(?:\/\/|#) #region (\S+)\s*$/;
const REGION_END = /^\s*(?:\/\/|#) #endregion\b/;
const ELIDE_START = /^(\s*)(\/\/|#) #elide (.+?)\s*$/;
const ELIDE_END = /^\s*(?:\/\/|#) #endelide\b/;
const CODE_LANGUAGES = new Set(['ts', 'typescript', 'js', 'javascript', 'mts', 'cts']);

/** The package entry point each source entry file is published as. */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  index: 'eventuali',
  sqlite: 'eventuali/sqlite',
  postgres: 'eventuali/postgres',
  testing: 'eventuali/testing',
  http: 'eventuali/http',
  inspector: 'eventuali/inspector',
};

export class SnippetError extends Error {
  override name = 'SnippetError';
}

/** README.md and every .md file under docs/, as paths relative to the repository root. */
/** Folders of docs/ that `npm run docs:build` generates (TypeDoc's API pages, VitePress's output): not written by hand. */
const GENERATED = new Set(['docs/api', 'docs/.vitepress']);

export function markdownFiles(root = REPO_ROOT): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!GENERATED.has(path)) walk(path);
      } else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files.sort();
}

/** The example files under docs/examples, as paths relative to the repository root. */
export function exampleFiles(root = REPO_ROOT): string[] {
  return readdirSync(join(root, 'docs', 'examples'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `docs/examples/${name}`)
    .sort();
}

/**
 * The text of region `name` of a source file: without its marker lines (nested regions' markers
 * included), dedented, with the entry-point imports rewritten.
 */
export function extractRegion(source: string, name: string, file: string): string {
  const parts = name.split('+').map((part) => regionLines(source, part, file));
  // A blank line between parts, except after one that opens a block (a function's head).
  const joined = parts.map(trimBlank).flatMap((lines, i, all) => (i === 0 || /[{(]$/.test(all[i - 1]?.at(-1) ?? '') ? lines : ['', ...lines]));
  return toPublicImports(exampleImports(dedent(joined), file), `${file}#${name}`);
}

function trimBlank(lines: readonly string[]): string[] {
  let first = 0;
  let last = lines.length;
  while (first < last && (lines[first] as string).trim() === '') first++;
  while (last > first && (lines[last - 1] as string).trim() === '') last--;
  return lines.slice(first, last);
}

/** The lines of one region, its nested markers dropped and its elisions collapsed, not yet dedented. */
function regionLines(source: string, name: string, file: string): string[] {
  const lines = source.split('\n');
  let start = -1;
  let depth = 0;
  const body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const opened = REGION_START.exec(line);
    if (start === -1) {
      if (opened?.[1] === name) start = i;
      continue;
    }
    if (opened) {
      if (opened[1] === name) throw new SnippetError(`${file}:${i + 1}: region "${name}" opens twice`);
      depth += 1;
      continue;
    }
    if (REGION_END.test(line)) {
      if (depth === 0) return body;
      depth -= 1;
      continue;
    }
    const elided = ELIDE_START.exec(line);
    if (elided) {
      const end = lines.findIndex((next, j) => j > i && ELIDE_END.test(next));
      if (end === -1) throw new SnippetError(`${file}:${i + 1}: #elide has no #endelide`);
      body.push(`${elided[1] ?? ''}${elided[2] ?? '//'} ${elided[3] ?? ''}`);
      i = end;
      continue;
    }
    body.push(line);
  }
  if (start === -1) throw new SnippetError(`${file} has no region "${name}" (// #region ${name})`);
  throw new SnippetError(`${file}:${start + 1}: region "${name}" has no // #endregion`);
}

function dedent(lines: readonly string[]): string {
  let first = 0;
  let last = lines.length;
  while (first < last && (lines[first] as string).trim() === '') first++;
  while (last > first && (lines[last - 1] as string).trim() === '') last--;
  const kept = lines.slice(first, last).map((line) => line.replace(/\s+$/, ''));
  const indents = kept.filter((line) => line.length > 0).map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return kept.map((line) => line.slice(cut)).join('\n');
}

/** The example system's single import of the library's source (`shared/eventuali.ts`), from its folders and from shared/. */
const EXAMPLE_LIBRARY_IMPORT = /(['"])(?:\.\.\/shared\/|\.\/)eventuali(-http)?\.js\1/g;

/** In a region of examples/microservices, imports of the library (through shared/eventuali.js) become `'eventuali'`. */
export function exampleImports(code: string, file: string): string {
  if (!file.startsWith('examples/microservices/')) return code;
  return code.replace(EXAMPLE_LIBRARY_IMPORT, (_match, quote: string, http: string | undefined) => `${quote}eventuali${http ? '/http' : ''}${quote}`);
}

/**
 * Rewrites `'../../src/index.js'` to `'eventuali'` (and sqlite, postgres, testing to their
 * subpaths). Any other import of the library's source is an error: snippets show public API only.
 */
export function toPublicImports(code: string, where: string): string {
  const rewritten = code.replace(/(['"])(?:\.\.\/)+src\/(index|sqlite|postgres|testing|http|inspector)\.js\1/g, (_match, quote: string, entry: string) => {
    return `${quote}${ENTRY_POINTS[entry] as string}${quote}`;
  });
  const internal = /(['"])(?:\.\.\/)+src\/[^'"]*\1/.exec(rewritten);
  if (internal) {
    throw new SnippetError(`${where} imports ${internal[0]}: snippets may import only src/index.js, sqlite.js, postgres.js, testing.js, http.js or inspector.js`);
  }
  return rewritten;
}

/** A marked block in a markdown file. Line numbers are 1-based. */
export interface MarkedBlock {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** Line of the marker comment. */
  line: number;
  /** Source file of the region, relative to the repository root. */
  source: string;
  region: string;
  /** The block's current text, or null when no fenced block follows the marker. */
  text: string | null;
  /** Index (0-based, in the file's lines) of the opening fence and of the closing fence. */
  open: number;
  close: number;
}

/** The marked blocks of a markdown file. */
export function findMarkedBlocks(markdown: string, file: string): MarkedBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i] as string);
    if (!marker) continue;
    const [, source = '', region = ''] = marker;
    const next = i + 1;
    if (!FENCE_OPEN.test(lines[next] ?? '')) {
      blocks.push({ file, line: i + 1, source, region, text: null, open: -1, close: -1 });
      continue;
    }
    let close = next + 1;
    while (close < lines.length && !FENCE_CLOSE.test(lines[close] as string)) close++;
    if (close >= lines.length) throw new SnippetError(`${file}:${next + 1}: code block is not closed`);
    blocks.push({ file, line: i + 1, source, region, text: lines.slice(next + 1, close).join('\n'), open: next, close });
    i = close;
  }
  return blocks;
}

/** Lines (1-based) of TypeScript/JavaScript blocks not preceded by a snippet marker. */
export function unmarkedCodeBlocks(markdown: string): number[] {
  const lines = markdown.split('\n');
  const found: number[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (inFence) {
      if (FENCE_CLOSE.test(line)) inFence = false;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (!open) continue;
    inFence = true;
    if (CODE_LANGUAGES.has(open[1] ?? '') && !MARKER.test(lines[i - 1] ?? '')) found.push(i + 1);
  }
  return found;
}

/** The text a marked block must hold. */
export function expectedText(block: Pick<MarkedBlock, 'file' | 'line' | 'source' | 'region'>, root = REPO_ROOT): string {
  let source: string;
  try {
    source = readFileSync(join(root, block.source), 'utf8');
  } catch {
    throw new SnippetError(`${block.file}:${block.line}: snippet source ${block.source} does not exist`);
  }
  return extractRegion(source, block.region, block.source);
}

/** The fence language of a new block for a source file: ts, yaml, nginx, dockerfile… */
export function languageOf(source: string): string {
  const name = source.split('/').pop() ?? source;
  if (/\.[cm]?ts$/.test(name)) return 'ts';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name === 'nginx.conf') return 'nginx';
  if (name === 'Dockerfile') return 'dockerfile';
  return 'text';
}

/** The markdown with every marked block rewritten from its region (a block is added where missing; a block keeps its language). */
export function syncMarkdown(markdown: string, file: string, root = REPO_ROOT): string {
  const lines = markdown.split('\n');
  // From the last block to the first, so earlier indexes stay valid.
  for (const block of findMarkedBlocks(markdown, file).reverse()) {
    const language = (block.text === null ? undefined : FENCE_OPEN.exec(lines[block.open] ?? '')?.[1]) || languageOf(block.source);
    const fenced = [`\`\`\`${language}`, ...expectedText(block, root).split('\n'), '```'];
    if (block.text === null) lines.splice(block.line, 0, ...fenced);
    else lines.splice(block.open, block.close - block.open + 1, ...fenced);
  }
  return lines.join('\n');
}

/** `path` relative to the repository root, with forward slashes. */
export function repoPath(path: string, root = REPO_ROOT): string {
  return relative(root, path).split(sep).join('/');
}
