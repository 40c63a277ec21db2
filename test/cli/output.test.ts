import { describe, expect, it } from 'vitest';
import { cell, formatTable, palette, toJson, useColor } from '../../src/cli/output.js';
import { redact, redactUrl } from '../../src/cli/redact.js';

describe('CLI output rules', () => {
  it('colours only on a terminal, and never with NO_COLOR set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(palette(false).red('x')).toBe('x');
    expect(palette(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });

  it('pads tables by visible width, colour codes aside', () => {
    const c = palette(true);
    const table = formatTable(['A', 'B'], [[c.red('long value'), 'x'], ['s', 'y']], palette(false));
    expect(table.split('\n')).toEqual(['A           B', `${c.red('long value')}  x`, 's           y']);
  });

  it('keeps a cell on one line and cuts it', () => {
    expect(cell('a\nb\tc\u0007')).toBe('a\\nb c\\x07');
    expect(cell('x'.repeat(10), 5)).toBe('xxxx…');
    expect(cell(null)).toBe('');
  });

  it('prints bigints as decimal strings in JSON', () => {
    expect(toJson({ p: 12345678901234567890n })).toBe('{"p":"12345678901234567890"}');
  });

  it('removes passwords from text and URLs, as written and percent-decoded', () => {
    const url = 'postgresql://ops:p%40ss-word@db:5432/app';
    expect(redactUrl(url)).toBe('postgresql://ops:***@db:5432/app');
    expect(redact('auth failed for p@ss-word and p%40ss-word', url)).toBe('auth failed for *** and ***');
    expect(redact('see postgres://u:other@h/db')).toBe('see postgres://u:***@h/db');
    expect(redact('sqlite:///tmp/a.db')).toBe('sqlite:///tmp/a.db');
  });
});
