// The parts that describe a theme: terms, class-based TF-IDF keywords, quotes, weekly counts, churn lift, stable ids.
import { describe, expect, it } from 'vitest';
import { churnLift, churnRate } from '../../src/themes/churn-lift';
import { classTfIdfKeywords } from '../../src/themes/class-tf-idf';
import { matchThemeIds } from '../../src/themes/match-theme-ids';
import { representativeQuotes } from '../../src/themes/representative-quotes';
import { textTerms } from '../../src/themes/tokenize-words';
import { weeklyCounts, weekStart } from '../../src/themes/weekly-counts';

describe('textTerms', () => {
  it('keeps lowercase content words and bigrams of adjacent ones, without markup or stop words', () => {
    expect([...textTerms("The DOG food<br />wasn't fresh; lack of flavor")].sort()).toEqual(
      ['dog', 'dog food', 'flavor', 'food', 'fresh', 'lack'].sort(),
    );
  });
});

describe('classTfIdfKeywords', () => {
  const docs = [
    'late delivery again, the delivery courier lost it',
    'delivery was late and the courier never came',
    'courier delivery late by a week',
    'the coffee tasted bitter and stale coffee',
    'bitter coffee, stale beans',
    'stale bitter coffee taste',
    'good product but the delivery was late',
  ];
  const labels = [0, 0, 0, 1, 1, 1, -1];

  it("ranks each theme's own words first and leaves out words both themes use", () => {
    const [delivery, coffee] = classTfIdfKeywords(docs.map(textTerms), labels, 2, { top: 4, minTexts: 2 });
    expect(delivery).toEqual(expect.arrayContaining(['delivery', 'late', 'courier']));
    expect(coffee).toEqual(expect.arrayContaining(['coffee', 'bitter', 'stale']));
    expect(delivery.filter((k) => coffee.includes(k))).toEqual([]);
  });

  it('drops terms found in fewer texts of the theme than minTexts', () => {
    const [delivery] = classTfIdfKeywords(docs.map(textTerms), labels, 2, { top: 10, minTexts: 3 });
    expect(delivery).not.toContain('lost');
    expect(delivery).toContain('courier');
  });
});

describe('representativeQuotes', () => {
  it('takes the nearest distinct texts, prefers ones that fit, strips markup and trims at a word', () => {
    const long = `${'word '.repeat(80)}end`;
    const quotes = representativeQuotes(
      [
        { textId: 'a', text: long, risk: 0.9, similarity: 0.99 },
        { textId: 'b', text: 'Arrived <br />late.', risk: 0.8, similarity: 0.95 },
        { textId: 'c', text: 'arrived late.', risk: 0.8, similarity: 0.94 },
        { textId: 'd', text: null, risk: 0.7, similarity: 0.93 },
        { textId: 'e', text: 'Box was crushed', risk: 0.6, similarity: 0.5 },
      ],
      { count: 3, maxChars: 40 },
    );
    expect(quotes.map((q) => q.textId)).toEqual(['b', 'e', 'a']);
    expect(quotes[0].text).toBe('Arrived late.');
    expect(quotes[2].text.endsWith('word…')).toBe(true);
    expect(quotes[2].text.length).toBeLessThanOrEqual(41);
  });
});

describe('weeklyCounts', () => {
  it('counts per Monday-started UTC week, every week of the span present', () => {
    expect(new Date(weekStart('2024-03-10T23:59:00Z')).toISOString()).toBe('2024-03-04T00:00:00.000Z'); // a Sunday
    expect(weeklyCounts(['2024-03-04T00:00:00Z', '2024-03-10T12:00:00Z', '2024-03-20T08:00:00Z'])).toEqual([
      { week: '2024-03-04', count: 2 },
      { week: '2024-03-11', count: 0 },
      { week: '2024-03-18', count: 1 },
    ]);
    expect(weeklyCounts([])).toEqual([]);
  });
});

describe('churn lift', () => {
  const outcomes = new Map([
    ['a', true],
    ['b', true],
    ['c', false],
    ['d', false],
    ['e', false],
    ['f', false],
  ]);

  it('is the churn rate of the theme customers with an outcome over the overall rate', () => {
    expect(churnRate(['a', 'a', 'c', 'x'], outcomes)).toEqual({ known: 2, rate: 0.5 });
    expect(churnLift(['a', 'b', 'c', 'x'], { outcomes, overallRate: 1 / 3, minCustomers: 3 })).toBeCloseTo(2);
  });

  it('is null with too few known outcomes or nobody churned overall', () => {
    expect(churnLift(['a', 'b'], { outcomes, overallRate: 1 / 3, minCustomers: 3 })).toBeNull();
    expect(churnLift(['a', 'b', 'c'], { outcomes, overallRate: 0, minCustomers: 3 })).toBeNull();
  });
});

describe('matchThemeIds', () => {
  const v = (...x: number[]) => Float32Array.from(x);

  it('gives each new centroid the most similar known id, one-to-one, above the threshold', () => {
    const known = [
      { id: 'old-a', centroid: v(1, 0, 0) },
      { id: 'old-b', centroid: v(0, 1, 0) },
      { id: 'other-size', centroid: v(1, 0) },
    ];
    const ids = matchThemeIds([v(0.1, 1, 0), v(1, 0.05, 0), v(0.98, 0.2, 0), v(0, 0, 1)], known, 0.9);
    expect(ids).toEqual(['old-b', 'old-a', null, null]);
  });
});
