/** Tables for the terminal and for RESULTS.md, from the same cells. */
import type { Check, ResultRow, Section } from './results.js';

export function formatNumber(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** A rate for the log lines and notes: whole, with thousands separators (`—` when missing). */
export function formatWhole(value: number | null | undefined): string {
  return value == null ? '—' : Math.round(value).toLocaleString('en-US');
}

/** `rounds: eventuali 1,510–1,640, raw …`: the range of each column's rounds, so noise is visible. */
export function roundsNote(rounds: Record<string, number[]>): string {
  const range = (list: number[]): string =>
    list.length < 2 ? formatWhole(list[0]) : `${formatWhole(Math.min(...list))}–${formatWhole(Math.max(...list))}`;
  return `rounds: ${Object.entries(rounds).map(([name, list]) => `${name} ${range(list)}`).join(', ')}`;
}

export function formatRatio(value: number | null): string {
  if (value === null) return '—';
  return value >= 100 ? `${Math.round(value)}×` : `${value.toPrecision(3)}×`;
}

function formatCheckValue(check: Check): string {
  return check.kind === 'ratio' ? formatRatio(check.value) : formatNumber(check.value);
}

function formatTarget(check: Check): string {
  const target = check.kind === 'ratio' ? `${check.target.value}×` : formatNumber(check.target.value);
  return `${check.target.op === '>=' ? '≥' : '≤'} ${target}`;
}

function formatMet(check: Check): string {
  return check.met === null ? 'not run' : check.met ? 'yes' : 'NO';
}

/** Header and body cells of a section's table. */
function cells(section: Section): { header: string[]; body: string[][] } {
  const header = ['#', 'Workload', 'Store', ...section.columns, 'Unit', 'Check', 'Value', 'Target', 'Met'];
  const body: string[][] = [];
  for (const row of section.rows) {
    const values = section.columns.map((column) => formatNumber(row.values[column]));
    const checks = row.checks.length > 0 ? row.checks : [null];
    checks.forEach((check, i) => {
      const lead = i === 0 ? [row.id, row.workload, row.store, ...values, row.unit] : ['', '', '', ...values.map(() => ''), ''];
      body.push(
        check
          ? [...lead, check.label, formatCheckValue(check), formatTarget(check), formatMet(check)]
          : [...lead, '', '', '', ''],
      );
    });
  }
  return { header, body };
}

const NUMERIC = /^[\d,.—×≥≤ -]+$/;

/** A plain-text table, columns padded, numbers right-aligned. */
export function textTable(section: Section): string {
  const { header, body } = cells(section);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => (r[c] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) => (NUMERIC.test(cell) && c > 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`${section.id}. ${section.title}`, line(header), rule, ...body.map(line), ...notes(section.rows, '  ')].join('\n');
}

function notes(rows: readonly ResultRow[], indent: string): string[] {
  return rows.flatMap((row) => row.notes.map((note) => `${indent}${row.id} ${row.store}: ${note}`));
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

/** A GitHub markdown table with the section's description and notes. */
export function markdownTable(section: Section): string {
  const { header, body } = cells(section);
  // Right-align the value columns and the checked value.
  const numeric = new Set([...section.columns.map((_, i) => 3 + i), header.length - 3]);
  const align = header.map((_, c) => (numeric.has(c) ? '---:' : '---'));
  const row = (r: string[]): string => `| ${r.map(escape).join(' | ')} |`;
  const rowNotes = notes(section.rows, '- ');
  return [
    `### ${section.id}. ${section.title}`,
    '',
    section.description,
    '',
    row(header),
    `|${align.map((a) => ` ${a} `).join('|')}|`,
    ...body.map(row),
    ...(rowNotes.length > 0 ? ['', ...rowNotes] : []),
  ].join('\n');
}

/** Every check of every section, for the summary. */
export function allChecks(sections: readonly Section[]): { section: Section; row: ResultRow; check: Check }[] {
  return sections.flatMap((section) => section.rows.flatMap((row) => row.checks.map((check) => ({ section, row, check }))));
}

export function summaryLines(sections: readonly Section[]): string[] {
  const checks = allChecks(sections);
  const met = checks.filter((c) => c.check.met === true).length;
  const missed = checks.filter((c) => c.check.met === false);
  const notRun = checks.filter((c) => c.check.met === null);
  const describe = ({ row, check }: (typeof checks)[number]): string =>
    `${row.id} ${row.workload} — ${row.store}: ${check.label} = ${formatCheckValue(check)} (target ${formatTarget(check)})`;
  return [
    `${met} of ${checks.length} targets met, ${missed.length} missed, ${notRun.length} not run.`,
    ...missed.map((c) => `missed: ${describe(c)}`),
    ...notRun.map((c) => `not run: ${describe(c)}`),
  ];
}
