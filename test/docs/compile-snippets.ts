import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { REPO_ROOT, toPublicImports } from './snippets.js';

/**
 * Docs that copy and run: every TypeScript block of the markdown, as a reader would paste it into
 * a new project, type-checked in one `tsc` run against the built package (`eventuali` is this
 * repository through a `node_modules/eventuali` link, so its `exports` map and `dist/*.d.ts` are
 * what resolves).
 *
 * A block is written beside the files it was taken from: a block of docs/examples/x.ts sits in a
 * copy of docs/examples/ (imports of the source rewritten to `eventuali`), a block of the example
 * system in a copy of examples/microservices/ (whose `shared/eventuali.ts` re-exports `eventuali`).
 * So a block may import a file the docs show (`import { User } from './user.js'`), but never use a
 * name it does not declare or import: a fragment fails.
 */

/** One TypeScript block of a markdown file. `line` is the 1-based line of its opening fence. */
export interface CodeBlock {
  file: string;
  line: number;
  /** The region's source file named by the block's snippet marker, if it has one. */
  source: string | undefined;
  text: string;
}

const FENCE = /^```(\w*)\s*$/;
const MARKER = /^<!-- snippet: (\S+?)#\S+ -->\s*$/;
const TS = new Set(['ts', 'typescript', 'mts', 'cts']);

/** Every TypeScript block of a markdown text. */
export function typescriptBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    let close = i + 1;
    while (close < lines.length && !/^```\s*$/.test(lines[close] as string)) close++;
    if (TS.has(open[1] ?? '')) {
      const source = MARKER.exec(lines[i - 1] ?? '')?.[1];
      blocks.push({ file, line: i + 1, source, text: lines.slice(i + 1, close).join('\n') });
    }
    i = close;
  }
  return blocks;
}

/** A type error of one block, located in its markdown file. */
export interface BlockError {
  where: string;
  message: string;
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  // No DOM: its globals (Event, Response…) would hide a missing import of eventuali's Event.
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

/**
 * Type-checks `blocks` in a fresh project; the errors found, by block. Needs `dist/` (npm run build).
 */
export function compileBlocks(blocks: readonly CodeBlock[], root = REPO_ROOT): BlockError[] {
  const dir = mkdtempSync(join(tmpdir(), 'eventuali-snippets-'));
  try {
    return compileIn(dir, blocks, root);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compileIn(dir: string, blocks: readonly CodeBlock[], root: string): BlockError[] {
  linkDependencies(dir, root);
  mirrorExamples(dir, root);
  const written = new Map<string, CodeBlock>();
  blocks.forEach((block, index) => {
    const home = block.source?.startsWith('examples/microservices/') || block.source?.startsWith('docs/examples/') ? dirname(block.source) : 'snippets';
    const name = `${home}/snippet-${index}-${block.file.replace(/[^A-Za-z0-9]+/g, '-')}-${block.line}.ts`;
    mkdirSync(join(dir, home), { recursive: true });
    writeFileSync(join(dir, name), `${block.text}\n`);
    written.set(name, block);
  });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'snippets', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: [...written.keys()] }, null, 2));
  let output = '';
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    output = String((error as { stdout?: unknown }).stdout ?? error);
  }
  const errors: BlockError[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (!match) {
      if (/error TS/.test(line)) errors.push({ where: 'tsc', message: line });
      continue;
    }
    const [, path = '', row = '0', , message = ''] = match;
    const block = written.get(relative(dir, join(dir, path)).split(sep).join('/'));
    errors.push({
      where: block ? `${block.file}:${block.line + Number(row)}${block.source ? ` (${block.source})` : ''}` : path,
      message,
    });
  }
  return errors;
}

/** node_modules of the project: the repository's dependencies, and `eventuali` as the repository itself. */
function linkDependencies(dir: string, root: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(modules, entry), 'dir');
  }
  symlinkSync(root, join(modules, 'eventuali'), 'dir');
}

/** The files blocks may import beside them, importing the library by its package name. */
function mirrorExamples(dir: string, root: string): void {
  const docs = join(dir, 'docs', 'examples');
  mkdirSync(docs, { recursive: true });
  for (const name of readdirSync(join(root, 'docs', 'examples'))) {
    if (!name.endsWith('.ts')) continue;
    const path = `docs/examples/${name}`;
    writeFileSync(join(docs, name), toPublicImports(readFileSync(join(root, path), 'utf8'), path));
  }
  const system = join(dir, 'examples', 'microservices');
  cpSync(join(root, 'examples', 'microservices'), system, { recursive: true, filter: (from) => !from.includes('node_modules') });
  writeFileSync(join(system, 'shared', 'eventuali.ts'), "export * from 'eventuali';\n");
  writeFileSync(join(system, 'shared', 'eventuali-http.ts'), "export * from 'eventuali/http';\n");
}
