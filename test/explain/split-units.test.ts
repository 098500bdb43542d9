import { describe, expect, it } from 'vitest';
import { capUnits, splitUnits, transcriptRegions, type TextSpan } from '../../src/explain';

const cut = (text: string, groupWords = 6) =>
  splitUnits(text, { start: 0, end: text.length }, { groupWords }).map((u) => text.slice(u.start, u.end));

describe('splitUnits', () => {
  it('splits on sentence punctuation, newlines, semicolons, dashes and conjunction commas', () => {
    const text =
      'Room was great! The bill was wrong; staff rude - never again.\nOk, but the food, however, was cold, so I left';
    expect(cut(text)).toEqual([
      'Room was great!',
      'The bill was wrong',
      'staff rude',
      'never again.',
      'Ok',
      'but the food',
      'however, was cold',
      'so I left',
    ]);
  });

  it('keeps offsets into the original text, trimming separators and skipping content-free stretches', () => {
    const text = '  Hello there.  ...  ;  — Bye!! ';
    const units = splitUnits(text, { start: 0, end: text.length }, { groupWords: 6 });
    expect(units.map((u) => text.slice(u.start, u.end))).toEqual(['Hello there.', 'Bye!!']);
    expect(units[0]).toEqual({ start: 2, end: 14 });
  });

  it('falls back to near-equal word groups for long unpunctuated text', () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const groups = cut(words.join(' '));
    expect(groups).toHaveLength(5);
    expect(groups.map((g) => g.split(' ').length)).toEqual([6, 6, 6, 6, 6]);
    expect(groups.join(' ')).toBe(words.join(' '));
    expect(cut('one two three four five six seven eight nine ten eleven twelve')).toHaveLength(1);
  });

  it('splits only inside the region given', () => {
    const text = 'Skip this. Keep this. And this.';
    expect(
      splitUnits(text, { start: 11, end: text.length }, { groupWords: 6 }).map((u) => text.slice(u.start, u.end)),
    ).toEqual(['Keep this.', 'And this.']);
  });
});

describe('capUnits', () => {
  const units: TextSpan[] = Array.from({ length: 50 }, (_, i) => ({ start: i * 10, end: i * 10 + 8 }));

  it('merges neighbours down to the cap, covering the same text in order', () => {
    const capped = capUnits(units, 7);
    expect(capped.length).toBeLessThanOrEqual(7);
    expect(capped.length).toBeGreaterThanOrEqual(6);
    expect(capped[0].start).toBe(0);
    expect(capped[capped.length - 1].end).toBe(498);
    capped.slice(1).forEach((u, i) => expect(u.start).toBe(capped[i].end + 2));
  });

  it('merges as little as needed just over the cap, and nothing under it', () => {
    expect(capUnits(units.slice(0, 25), 24)).toHaveLength(24);
    expect(capUnits(units.slice(0, 5), 24)).toEqual(units.slice(0, 5));
  });
});

describe('transcriptRegions', () => {
  const chat =
    'Agent: Sorry, we never got it.\nCustomer: My bill doubled.\nI want to cancel.\nAgent: I will refund you.';

  it('keeps customer turn contents without role labels, continuation lines included', () => {
    expect(transcriptRegions(chat, 'drop').map((r) => chat.slice(r.start, r.end))).toEqual([
      'My bill doubled.',
      'I want to cancel.',
    ]);
  });

  it('keeps agent turns on request and treats plain text as one region', () => {
    expect(transcriptRegions(chat, 'keep')).toHaveLength(4);
    expect(transcriptRegions('Just a review: fine.', 'drop')).toEqual([{ start: 0, end: 20 }]);
  });
});
