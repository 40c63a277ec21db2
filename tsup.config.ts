import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    sqlite: 'src/sqlite.ts',
    postgres: 'src/postgres.ts',
    testing: 'src/testing.ts',
    http: 'src/http.ts',
    inspector: 'src/inspector.ts',
    // The `eventuali` command (package.json bin); its shebang comes from the source file.
    cli: 'src/cli/main.ts',
  },
  // `eventuali --version` prints it.
  env: { EVENTUALI_VERSION: version },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: ['pg', 'better-sqlite3', 'vitest'],
});
