import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FULL } from './config.js';

/** What one torture section measured: rounds, events, faults injected, lost, duplicated… */
export type Figures = Record<string, number | string>;

/** The folder the JSON summaries go to: `<tmpdir>/eventuali-torture/<quick|full>/`. */
export const RESULTS_DIR = join(tmpdir(), 'eventuali-torture', FULL ? 'full' : 'quick');

function writeAtomically(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

/**
 * Records a section's figures in `<RESULTS_DIR>/<section>.json`, merges every section written so
 * far into `summary.json`, and prints the section. Test files run in parallel processes: each
 * writes its own file, and the last one to finish leaves the complete summary.
 */
export function recordFigures(section: string, figures: Figures): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const entry = { section, mode: FULL ? 'full' : 'quick', at: new Date().toISOString(), ...figures };
  writeAtomically(join(RESULTS_DIR, `${section}.json`), entry);
  const summary: Record<string, unknown> = {};
  for (const name of readdirSync(RESULTS_DIR).sort()) {
    if (!name.endsWith('.json') || name === 'summary.json') continue;
    try {
      summary[name.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(RESULTS_DIR, name), 'utf8'));
    } catch {
      // a section being rewritten right now: the next writer merges it
    }
  }
  writeAtomically(join(RESULTS_DIR, 'summary.json'), summary);
  console.log(`[torture] ${section}: ${JSON.stringify(figures)} (summary: ${join(RESULTS_DIR, 'summary.json')})`);
}
