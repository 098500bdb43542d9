import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors';
import { parseTimestampCell, timestampProblem, toTimestamp } from '../../src/ingest';

const iso = (v: unknown) => toTimestamp(v)?.toISOString();

describe('the one timestamp rule', () => {
  it('reads ISO-8601 dates and times, a time without a zone as UTC', () => {
    expect(iso('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(iso('2026-03-01T12:30:00Z')).toBe('2026-03-01T12:30:00.000Z');
    expect(iso('2026-03-01 12:30')).toBe('2026-03-01T12:30:00.000Z');
    expect(iso('2026-03-01T12:30:00.250+02:00')).toBe('2026-03-01T10:30:00.250Z');
    expect(iso(' 2026-03-01T12:30:00-0500 ')).toBe('2026-03-01T17:30:00.000Z');
  });

  it('reads epoch numbers and digit strings as seconds below 1e11 and milliseconds above', () => {
    expect(iso(1_772_368_200)).toBe('2026-03-01T12:30:00.000Z');
    expect(iso('1772368200')).toBe('2026-03-01T12:30:00.000Z');
    expect(iso(1_772_368_200_000)).toBe('2026-03-01T12:30:00.000Z');
    expect(iso('1772368200000')).toBe('2026-03-01T12:30:00.000Z');
    expect(iso(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01T00:00:00.000Z');
  });

  it.each([
    '03/04/2025',
    '2026-02-30',
    '2026-13-01',
    '2026-03-01T25:00:00Z',
    'yesterday',
    'NaN',
    '1e999',
    '',
    true,
    {},
  ])('refuses %j instead of guessing', (v) => expect(toTimestamp(v)).toBeUndefined());

  it('names the file, line and column of a cell that is not a time, and lets blank cells through', () => {
    expect(parseTimestampCell('  ', { file: 'a.csv', row: 3, column: 'when' })).toBeUndefined();
    expect(timestampProblem('2026-03-01', 'when')).toBeUndefined();
    try {
      parseTimestampCell('03/04/2025', { file: 'a.csv', row: 7, column: 'when' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataFileError);
      expect((e as Error).message).toMatch(/^a\.csv line 7: column "when" has "03\/04\/2025", which is not a time/);
      expect(e).toMatchObject({ file: 'a.csv', row: 7, field: 'when' });
    }
  });
});
