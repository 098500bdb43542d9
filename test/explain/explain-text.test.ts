import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/explain';
import { ValidationError } from '../../src/errors';
import { fakeEngine } from './fake-engine';

describe('explainText', () => {
  const review =
    'The staff were lovely and the room was great. But the bill was expensive; I will cancel, but the view was nice.';

  it('ranks the risky clauses first, with offsets that slice the original text', async () => {
    const { engine } = fakeEngine();
    const { phrases, risk, units } = await explainText({ engine, text: review });
    expect(units).toBe(4);
    expect(risk).toBeGreaterThan(0);
    expect(phrases.map((p) => p.text)).toEqual(['But the bill was expensive', 'I will cancel']);
    for (const p of phrases) expect(review.slice(p.start, p.end)).toBe(p.text);
    expect(phrases[0].weight).toBeGreaterThan(phrases[1].weight);
    expect(phrases[1].weight).toBeGreaterThan(0.01);
  });

  it('scores the text and every variant in one engine call and one model batch', async () => {
    const { engine, calls, model } = fakeEngine();
    await explainText({ engine, text: review });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(5);
    expect(calls[0][0]).toBe(review);
    expect(calls[0][2]).not.toContain('expensive');
    expect(model.batches).toHaveLength(1);
  });

  it('honours the unit cap and the phrase limit on long texts', async () => {
    const { engine, calls } = fakeEngine();
    const text = Array.from({ length: 60 }, (_, i) =>
      i >= 40 && i < 46 ? 'I never got my refund.' : `Sentence ${i} was fine.`,
    ).join(' ');
    const out = await explainText({ engine, text, maxUnits: 10, maxPhrases: 3 });
    expect(out.units).toBeLessThanOrEqual(10);
    expect(calls[0].length).toBe(out.units + 1);
    expect(out.phrases.length).toBeLessThanOrEqual(3);
    for (const p of out.phrases) expect(text.slice(p.start, p.end)).toBe(p.text);
    expect(out.phrases[0].text).toMatch(/refund/);
  });

  it('keeps the default cost at 24 units plus the full text', async () => {
    const { engine, calls } = fakeEngine();
    const text = Array.from({ length: 100 }, (_, i) => `Line ${i} cancel.`).join('\n');
    expect((await explainText({ engine, text })).units).toBeLessThanOrEqual(24);
    expect(calls[0].length).toBeLessThanOrEqual(25);
  });

  it('weighs a lone unit against the same number of placeholder words', async () => {
    const { engine, calls, raw } = fakeEngine();
    const out = await explainText({ engine, text: 'I will cancel' });
    expect(calls[0]).toEqual(['I will cancel', 'the the the']);
    const [full, base] = await raw.score(['I will cancel', 'the the the']);
    expect(out.phrases).toEqual([
      { text: 'I will cancel', start: 0, end: 13, weight: full.probability - base.probability },
    ]);
    expect((await explainText({ engine, text: 'great love' })).phrases).toEqual([]);
  });

  it('reports weights in calibrated risk when a calibrator is given', async () => {
    const { engine } = fakeEngine();
    const plain = await explainText({ engine, text: review });
    const halved = await explainText({ engine, text: review, calibrator: { risk: (p) => p / 2 } });
    expect(halved.risk).toBeCloseTo(plain.risk / 2, 6);
    expect(halved.phrases[0].weight).toBeCloseTo(plain.phrases[0].weight / 2, 6);
  });

  it('drops phrases under minWeight', async () => {
    const { engine } = fakeEngine();
    const all = await explainText({ engine, text: review, minWeight: 0 });
    const strict = await explainText({ engine, text: review, minWeight: all.phrases[0].weight - 1e-9 });
    expect(strict.phrases.map((p) => p.text)).toEqual(['But the bill was expensive']);
  });

  it('explains only the customer in a transcript, without role labels', async () => {
    const { engine } = fakeEngine();
    const chat = 'Agent: Sorry, we never refund that.\nCustomer: The food was great.\nI want to cancel.';
    const { phrases } = await explainText({ engine, text: chat });
    expect(phrases.map((p) => p.text)).toEqual(['I want to cancel.']);
    expect(chat.slice(phrases[0].start, phrases[0].end)).toBe('I want to cancel.');
  });

  it('rejects empty text and bad limits before any model work', async () => {
    const { engine, calls } = fakeEngine();
    await expect(explainText({ engine, text: '   ' })).rejects.toBeInstanceOf(ValidationError);
    await expect(explainText({ engine, text: review, maxUnits: 0 })).rejects.toThrow(/maxUnits/);
    expect(calls).toHaveLength(0);
  });
});
