/** How a command prints: human tables by default, JSON with `--json`, colours only on a terminal. */

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/** Colours when stdout is a terminal and `NO_COLOR` is unset or empty (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

export function palette(color: boolean): Palette {
  const paint = ([open, close]: readonly [number, number]) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return {
    bold: paint(ANSI.bold),
    dim: paint(ANSI.dim),
    red: paint(ANSI.red),
    green: paint(ANSI.green),
    yellow: paint(ANSI.yellow),
    cyan: paint(ANSI.cyan),
  };
}

/** JSON for scripts: bigints as decimal strings (positions), Dates as ISO text. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

const ESCAPES = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ESCAPES, '').length;
}

/** One line of a cell: control characters (a newline in an error message) shown escaped, long text cut. */
export function cell(value: unknown, max = 60): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A table: a header row and the rows, columns padded to their widest cell. Cells may hold colour
 * codes (they do not count towards the width). Rows with no data print `empty` instead.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], colors: Palette, empty = '(none)'): string {
  if (rows.length === 0) return colors.dim(empty);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [colors.bold(line(headers)), ...rows.map(line)].join('\n');
}

/** `key  value` lines, keys padded: for one record (a saga, the store's head). */
export function formatFields(fields: readonly (readonly [string, string])[], colors: Palette): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${colors.dim(k.padEnd(width))}  ${v}`).join('\n');
}
