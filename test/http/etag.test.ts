import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, isEventualiError } from '../../src/index.js';
import { parseIfMatch, toEtag } from '../../src/http.js';

describe('toEtag', () => {
  it('names a stream version as a weak entity tag', () => {
    expect(toEtag(3)).toBe('W/"3"');
    expect(toEtag(0)).toBe('W/"0"');
  });

  it('refuses what is not a version', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1, '3' as unknown as number]) {
      expect(() => toEtag(bad)).toThrow(InvalidArgumentError);
    }
  });
});

describe('parseIfMatch', () => {
  it('reads weak and strong tags, with spaces around them', () => {
    expect(parseIfMatch('W/"3"')).toBe(3);
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('  W/"12" ')).toBe(12);
    expect(parseIfMatch(['W/"7"'])).toBe(7);
    expect(parseIfMatch('"0"')).toBe(0);
  });

  it('round-trips every tag toEtag gives out', () => {
    for (const version of [0, 1, 42, Number.MAX_SAFE_INTEGER]) expect(parseIfMatch(toEtag(version))).toBe(version);
  });

  it('gives undefined for no precondition: absent, empty or *', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(null)).toBeUndefined();
    expect(parseIfMatch('')).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
  });

  it('refuses a malformed header with InvalidArgumentError naming If-Match', () => {
    const bad = ['3', 'W/3', '"abc"', '"-1"', '"1.5"', '"03"', 'W/"3', 'w/"3"', '"3", "4"', '"99999999999999999"', '"3"x'];
    for (const header of bad) {
      let caught: unknown;
      try {
        parseIfMatch(header);
      } catch (error) {
        caught = error;
      }
      expect(isEventualiError(caught, 'INVALID_ARGUMENT'), header).toBe(true);
      expect((caught as InvalidArgumentError).argument).toBe('If-Match');
    }
  });
});
