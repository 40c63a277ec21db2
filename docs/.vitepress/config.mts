/**
 * The docs site: docs/*.md built with VitePress, and the API reference TypeDoc writes into
 * docs/api/ (`npm run docs:build` runs both; see docs/.vitepress/README.md).
 *
 * The sidebar is made from the files present: the guides in the order docs/README.md lists them,
 * then any other page of docs/ (a page added without a line in README.md still shows), then the
 * API reference. Links that leave docs/ (../bench/RESULTS.md, the examples' source files) point
 * at the repository on GitHub, so a dead one is one that names a missing page.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';

const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(DOCS, '..');
const REPOSITORY = 'https://github.com/eventuali/eventuali-ts';
const SOURCE = `${REPOSITORY}/blob/main`;

/** The page's first `# ` heading, or its file name. */
function titleOf(file: string): string {
  const heading = readFileSync(join(DOCS, file), 'utf8').match(/^# (.+)$/m)?.[1];
  return (heading ?? file.replace(/\.md$/, '')).replace(/`/g, '');
}

/** Markdown files of a folder of docs/, relative to docs/. */
function pagesIn(folder: string): string[] {
  const dir = join(DOCS, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => posix.join(folder, name))
    .sort();
}

const link = (file: string): string => `/${file.replace(/(^|\/)(README|index)\.md$/, '$1').replace(/\.md$/, '')}`;

function guideItems(): DefaultTheme.SidebarItem[] {
  const listed = [...readFileSync(join(DOCS, 'README.md'), 'utf8').matchAll(/^\d+\. \[[^\]]+\]\(([^)#]+\.md)\)/gm)].map((m) => m[1] as string);
  const present = [...pagesIn('.'), ...pagesIn('guides')].filter((file) => file !== 'README.md');
  const ordered = [...listed.filter((file) => present.includes(file)), ...present.filter((file) => !listed.includes(file))];
  return ordered.map((file) => ({ text: titleOf(file), link: link(file) }));
}

/**
 * One item per entry point TypeDoc documented: `eventuali` (src/index.ts, written to
 * api/index/index.md), then `eventuali/sqlite`… (api/<entry>.md).
 */
function apiItems(): DefaultTheme.SidebarItem[] {
  const root = existsSync(join(DOCS, 'api/index/index.md')) ? [{ text: 'eventuali', link: '/api/index/' }] : [];
  const subpaths = pagesIn('api')
    .filter((file) => file !== 'api/index.md')
    .map((file) => ({ text: `eventuali/${file.replace(/^api\//, '').replace(/\.md$/, '')}`, link: link(file) }));
  return [...root, ...subpaths];
}

/**
 * An href of a page at `page` (relative to docs/): a GitHub URL when it leaves docs/ or names a file
 * that is not a page; throws (failing the build) when that file does not exist.
 */
function repositoryHref(href: string, page: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:|^#|^\//i.test(href)) return undefined;
  const [path = '', hash = ''] = href.split(/(?=#)/);
  if (path === '') return undefined;
  const target = resolve(DOCS, dirname(page), decodeURIComponent(path));
  const inDocs = !relative(DOCS, target).startsWith('..');
  if (inDocs && (target.endsWith('.md') || existsSync(`${target}.md`))) return undefined;
  // VitePress checks links to pages; a link to another file of the repository is checked here.
  if (!existsSync(target)) throw new Error(`Dead link ${href} in ${page}: ${relative(ROOT, target)} does not exist`);
  const kind = existsSync(target) && !target.endsWith('.md') && !/\.[a-z0-9]+$/i.test(target) ? 'tree' : 'blob';
  return `${REPOSITORY}/${kind}/main/${relative(ROOT, target).split('\\').join('/')}${hash}`;
}

export default defineConfig({
  title: 'eventuali',
  description: 'Event sourcing for TypeScript: typed events, aggregates, an event store on PostgreSQL or SQLite, durable subscriptions, projections and sagas.',
  base: process.env['DOCS_BASE'] ?? '/',
  outDir: '.vitepress/dist',
  cleanUrls: true,
  lastUpdated: false,
  // Links to a local server the guide tells you to start (Jaeger at http://localhost:16686) are
  // not pages of the site; every other dead link fails the build.
  ignoreDeadLinks: [/^https?:\/\/localhost\b/],
  // docs/README.md is the docs' front page; docs/examples/ holds the snippets' source files.
  rewrites: { 'README.md': 'index.md' },
  srcExclude: ['examples/**'],
  themeConfig: {
    nav: [
      { text: 'Guides', link: '/getting-started' },
      { text: 'API', link: '/api/' },
      { text: 'GitHub', link: REPOSITORY },
    ],
    sidebar: [
      { text: 'Guides', items: guideItems() },
      { text: 'API reference', link: '/api/', items: apiItems() },
    ],
    search: { provider: 'local' },
    outline: [2, 3],
    editLink: { pattern: `${SOURCE}/docs/:path` },
  },
  markdown: {
    config(md) {
      md.core.ruler.push('repository_links', (state) => {
        const page = (state.env as { relativePath?: string }).relativePath ?? '';
        for (const token of state.tokens) {
          for (const child of token.children ?? []) {
            if (child.type !== 'link_open') continue;
            const href = child.attrGet('href');
            const github = href === null ? undefined : repositoryHref(href, page);
            if (github) child.attrSet('href', github);
          }
        }
      });
    },
  },
});
