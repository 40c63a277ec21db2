/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: it parses
 * every line and returns the problems `promtool check metrics` and a scraper would see. Rules:
 * `# HELP` and `# TYPE` at most once per family, before its samples; a family's samples together;
 * metric and label names by the grammar; label values quoted with only \\ \" \n escapes; values
 * floats (NaN, +Inf, -Inf); no series twice; counters non-negative and named `*_total`;
 * histograms with `le` buckets ascending, cumulative, ending at +Inf equal to `_count`, and a
 * `_sum`; summaries with `quantile` between 0 and 1, `_sum` and `_count`.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  line: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

export interface ParsedMetrics {
  families: Map<string, MetricFamily>;
  problems: string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?[ \t]+(\S+)(?:[ \t]+(-?\d+))?$/;
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

function parseValue(text: string): number | null {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text) ? Number(text) : null;
}

/** Label pairs `a="x",b="y"` (a trailing comma allowed); null when malformed. */
function parseLabels(text: string): Record<string, string> | null {
  const labels: Record<string, string> = {};
  let rest = text.trim();
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\\n]|\\[\\"n])*)"\s*(,\s*)?/.exec(rest);
    if (!match) return null;
    const [whole, name = '', raw = '', comma] = match;
    if (name in labels) return null;
    labels[name] = raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
    if (!comma && rest.length > 0) return null;
  }
  return labels;
}

const seriesKey = (name: string, labels: Record<string, string>): string =>
  `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;

/** The family a sample belongs to, given the families declared so far. */
function familyOf(sample: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  for (const suffix of ['_bucket', '_sum', '_count', '']) {
    if (!sample.endsWith(suffix)) continue;
    const family = families.get(sample.slice(0, sample.length - suffix.length));
    if (family && SUFFIXES[family.type].includes(suffix)) return family;
  }
  return undefined;
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const families = new Map<string, MetricFamily>();
  const problems: string[] = [];
  const seen = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') problems.push('the text does not end with a newline');
  const declare = (name: string, lineNo: number): MetricFamily => {
    let family = families.get(name);
    if (!family) {
      if (!METRIC_NAME.test(name)) problems.push(`line ${lineNo}: invalid metric name ${JSON.stringify(name)}`);
      family = { name, type: 'untyped', help: undefined, samples: [] };
      families.set(name, family);
    }
    return family;
  };
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!meta) return; // a comment
      const [, kind, name = '', rest = ''] = meta;
      const family = declare(name, lineNo);
      if (family.samples.length > 0) problems.push(`line ${lineNo}: # ${kind} ${name} after its samples`);
      if (kind === 'HELP') {
        if (family.help !== undefined) problems.push(`line ${lineNo}: second # HELP for ${name}`);
        family.help = rest;
      } else {
        if (!TYPES.has(rest)) problems.push(`line ${lineNo}: unknown type ${JSON.stringify(rest)} for ${name}`);
        if (seen.has(`type:${name}`)) problems.push(`line ${lineNo}: second # TYPE for ${name}`);
        seen.add(`type:${name}`);
        family.type = TYPES.has(rest) ? (rest as MetricType) : 'untyped';
      }
      return;
    }
    const match = SAMPLE.exec(line);
    const labels = match ? parseLabels(match[2] ?? '') : null;
    const value = match ? parseValue(match[3] ?? '') : null;
    if (!match || labels === null || value === null) {
      problems.push(`line ${lineNo}: not a valid sample: ${line}`);
      return;
    }
    const name = match[1] ?? '';
    for (const label of Object.keys(labels)) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) problems.push(`line ${lineNo}: invalid label name ${label}`);
    }
    const family = familyOf(name, families) ?? declare(name, lineNo);
    if (current !== family.name) {
      if (current !== undefined) closed.add(current);
      if (closed.has(family.name)) problems.push(`line ${lineNo}: samples of ${family.name} are not together`);
      current = family.name;
    }
    const key = seriesKey(name, labels);
    if (seen.has(key)) problems.push(`line ${lineNo}: series ${key} appears twice`);
    seen.add(key);
    family.samples.push({ name, labels, value, line: lineNo });
  });
  for (const family of families.values()) problems.push(...checkFamily(family));
  return { families, problems };
}

function checkFamily(family: MetricFamily): string[] {
  const problems: string[] = [];
  const { name, type, samples } = family;
  if (family.help === undefined) problems.push(`${name}: no # HELP`);
  if (type === 'counter') {
    if (!name.endsWith('_total')) problems.push(`${name}: a counter's name should end in _total`);
    for (const s of samples) if (!(s.value >= 0)) problems.push(`line ${s.line}: counter ${name} is ${s.value}`);
  }
  if (type === 'histogram' || type === 'summary') {
    const groups = new Map<string, Sample[]>();
    const drop = type === 'histogram' ? 'le' : 'quantile';
    for (const s of samples) {
      const rest = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== drop));
      const key = seriesKey(name, rest);
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    for (const [key, group] of groups) problems.push(...(type === 'histogram' ? checkHistogram(key, group, name) : checkSummary(key, group, name)));
  }
  return problems;
}

function checkHistogram(key: string, group: readonly Sample[], name: string): string[] {
  const problems: string[] = [];
  const buckets = group.filter((s) => s.name === `${name}_bucket`);
  const count = group.find((s) => s.name === `${name}_count`);
  if (!group.some((s) => s.name === `${name}_sum`)) problems.push(`${key}: no _sum`);
  if (!count) problems.push(`${key}: no _count`);
  const bounds = buckets.map((b) => parseValue(b.labels['le'] ?? ''));
  if (bounds.some((b) => b === null || Number.isNaN(b))) problems.push(`${key}: a bucket has no valid le`);
  for (let i = 1; i < buckets.length; i++) {
    if (!((bounds[i] ?? 0) > (bounds[i - 1] ?? 0))) problems.push(`${key}: le bounds not ascending`);
    if ((buckets[i]?.value ?? 0) < (buckets[i - 1]?.value ?? 0)) problems.push(`${key}: bucket counts not cumulative`);
  }
  if (bounds.at(-1) !== Number.POSITIVE_INFINITY) problems.push(`${key}: no le="+Inf" bucket`);
  else if (count && buckets.at(-1)?.value !== count.value) problems.push(`${key}: +Inf bucket ${buckets.at(-1)?.value} != _count ${count.value}`);
  return problems;
}

function checkSummary(key: string, group: readonly Sample[], name: string): string[] {
  const problems: string[] = [];
  if (!group.some((s) => s.name === `${name}_sum`)) problems.push(`${key}: no _sum`);
  if (!group.some((s) => s.name === `${name}_count`)) problems.push(`${key}: no _count`);
  for (const s of group.filter((q) => q.name === name)) {
    const q = parseValue(s.labels['quantile'] ?? '');
    if (q === null || !(q >= 0 && q <= 1)) problems.push(`line ${s.line}: quantile ${s.labels['quantile']} not in [0, 1]`);
  }
  return problems;
}
