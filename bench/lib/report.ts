/** Writes RESULTS.md and results.json from one run's sections. */
import fs from 'node:fs';
import path from 'node:path';
import { markdownTable, summaryLines } from './format.js';
import type { Machine } from './machine.js';
import type { Section } from './results.js';

export interface RunInfo {
  date: string;
  mode: 'full' | 'quick';
  only: string[] | null;
  stores: string[] | null;
  seconds: number;
  postgres: string;
  command: string;
  /** 1-minute load average at the start and the end: other work on the machine shows here. */
  loadAverage: { start: number; end: number };
}

export function writeReport(dir: string, machine: Machine, run: RunInfo, sections: readonly Section[]): { markdown: string; json: string } {
  fs.mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, 'RESULTS.md');
  const json = path.join(dir, 'results.json');
  fs.writeFileSync(json, `${JSON.stringify({ run, machine, sections }, null, 2)}\n`);
  fs.writeFileSync(markdown, renderMarkdown(machine, run, sections));
  return { markdown, json };
}

function renderMarkdown(machine: Machine, run: RunInfo, sections: readonly Section[]): string {
  const scope = [run.only ? `only ${run.only.join(', ')}` : null, run.stores ? `stores ${run.stores.join(', ')}` : null]
    .filter(Boolean)
    .join('; ');
  return [
    '# Benchmark results',
    '',
    `Written by \`${run.command}\` (bench/run.ts). Benchmarks are not tests: nothing here fails a build. ` +
      'Every figure is reported whether its target is met or not. Throughput figures are the median of ' +
      'measured rounds after a warm-up; each round runs every contender back to back, in alternating order, and a ratio is ' +
      'the median over rounds of eventuali divided by the baseline in the same round (higher is better for eventuali), so ' +
      'a burst of load from elsewhere on the machine lands on both sides of a pair.',
    '',
    '| | |',
    '| --- | --- |',
    `| Date | ${run.date} |`,
    `| Mode | ${run.mode}${scope ? ` (${scope})` : ''}, ${Math.round(run.seconds)} s |`,
    `| CPU | ${machine.cpu}, ${machine.cores} cores |`,
    `| RAM | ${machine.ramGb} GB |`,
    `| OS | ${machine.os} |`,
    `| Node.js | ${machine.node} |`,
    `| SQLite | ${machine.sqlite} (better-sqlite3 ${machine.betterSqlite3}) |`,
    `| PostgreSQL | ${machine.postgres} (${run.postgres}) |`,
    `| Emmett | ${machine.emmett ?? 'not recorded'} |`,
    `| Load average (1 min) | ${run.loadAverage.start.toFixed(2)} at start, ${run.loadAverage.end.toFixed(2)} at end |`,
    '',
    '## Summary',
    '',
    ...summaryLines(sections).map((line) => `- ${line}`),
    '',
    '## Results',
    '',
    ...sections.flatMap((section) => [markdownTable(section), '']),
  ].join('\n');
}
