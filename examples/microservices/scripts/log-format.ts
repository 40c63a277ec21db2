/** pino's numeric levels. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'correlation_id', 'req', 'res', 'responseTime']);

/** One pino JSON line as a short readable line; other text as it is. */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || typeof entry['msg'] !== 'string') return line;
  const parts = [(LEVELS[Number(entry['level'])] ?? 'LOG').padEnd(5), entry['msg']];
  const req = entry['req'] as { method?: string; url?: string } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  const res = entry['res'] as { statusCode?: number } | undefined;
  if (res?.statusCode) parts.push(`-> ${res.statusCode}`);
  if (typeof entry['responseTime'] === 'number') parts.push(`(${entry['responseTime'].toFixed(1)} ms)`);
  for (const [key, value] of Object.entries(entry)) {
    if (SKIP.has(key) || value === undefined) continue;
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  if (typeof entry['correlation_id'] === 'string') parts.push(`[${entry['correlation_id']}]`);
  return parts.join(' ');
}
