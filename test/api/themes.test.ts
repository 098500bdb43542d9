// GET /v1/themes and POST /v1/themes/probe through the real app, over a store seeded with known theme groups.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';
import { DEFAULT_TEXT_SOURCE } from '../../src/text/text-source';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

/** Four tight groups of 8-d embeddings (the fake model's size), each with its own vocabulary; one customer per text. */
const GROUPS = [
  { axis: 0, words: 'late delivery courier week' },
  { axis: 1, words: 'refund charged twice billing' },
  { axis: 2, words: 'app crashes login error' },
  { axis: 3, words: 'rude support agent hung' },
];

async function seed(opts: { perGroup: number; risk?: number; day?: number; prefix?: string }) {
  const ids: string[] = [];
  for (const [g, group] of GROUPS.entries()) {
    for (let i = 0; i < opts.perGroup; i++) {
      const id = `${opts.prefix ?? 't'}${g}-${i}`;
      const embedding = new Float32Array(8);
      embedding[group.axis] = 1;
      embedding[4 + (i % 4)] = 0.1 + 0.02 * i;
      const norm = Math.hypot(...embedding);
      const createdAt = new Date(Date.UTC(2024, 0, 1 + (opts.day ?? 0) + i));
      await t.store.texts.insert({
        id,
        customerId: `c${g}-${i}`,
        source: g === 3 ? 'chat' : 'ticket',
        text: `${group.words} number ${i}`,
        hash: id,
        createdAt,
      });
      await t.store.scores.insert({
        textId: id,
        modelVersion: 'v1',
        risk: opts.risk ?? 0.8,
        textRisk: opts.risk ?? 0.8,
        tabularRisk: null,
        band: 'high',
        drivers: null,
        embedding: embedding.map((v) => v / norm),
        createdAt,
      });
      ids.push(id);
    }
  }
  return ids;
}

describe('GET /v1/themes', () => {
  it('returns one theme per group with keywords, quotes, size, mean risk, weekly counts, and the threshold used', async () => {
    await seed({ perGroup: 8 });
    await seed({ perGroup: 5, risk: 0.1, prefix: 'calm' });
    const r = await call(t.base, 'GET', '/v1/themes');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      totalTexts: 52,
      dissatisfiedTexts: 32,
      unassignedShare: 0,
      filters: { minRisk: 0.6 },
    });
    expect(r.json.themes).toHaveLength(4);
    for (const theme of r.json.themes) {
      expect(theme).toMatchObject({
        id: expect.stringMatching(/^th_/),
        size: 8,
        meanRisk: expect.closeTo(0.8),
        churnLift: null,
      });
      const words = theme.keywords.join(' ').split(' ');
      const group = GROUPS.find((g) => words.includes(g.words.split(' ')[0]))!;
      expect(words).toEqual(expect.arrayContaining(group.words.split(' ')));
      expect(theme.label).toBe(theme.keywords.slice(0, 3).join(' · '));
      expect(theme.quotes).toHaveLength(3);
      for (const q of theme.quotes) expect(q.text.startsWith(group.words)).toBe(true);
      expect(theme.weekly[0]).toEqual({ week: '2024-01-01', count: 7 });
      expect(theme.weekly.reduce((s: number, w: { count: number }) => s + w.count, 0)).toBe(8);
    }
    expect(new Date(r.json.computedAt).toISOString()).toBe(r.json.computedAt);
  });

  it('keeps theme ids when new texts make it refit', async () => {
    await seed({ perGroup: 8 });
    const first = await call(t.base, 'GET', '/v1/themes');
    await seed({ perGroup: 3, prefix: 'later', day: 20 });
    const second = await call(t.base, 'GET', '/v1/themes');
    expect(second.json.dissatisfiedTexts).toBe(44);
    const idOf = (json: { themes: { id: string; keywords: string[] }[] }, word: string) =>
      json.themes.find((th) => th.keywords.join(' ').split(' ').includes(word))?.id;
    for (const g of GROUPS) {
      const word = g.words.split(' ')[0];
      expect(idOf(second.json, word)).toBe(idOf(first.json, word));
    }
  });

  it('serves a repeated request from its cache until a new score arrives', async () => {
    await seed({ perGroup: 8 });
    const list = vi.spyOn(t.store.scoredTexts, 'list');
    const first = await call(t.base, 'GET', '/v1/themes?source=ticket');
    const again = await call(t.base, 'GET', '/v1/themes?source=ticket');
    expect(again.json).toEqual(first.json);
    expect(list).toHaveBeenCalledTimes(1);
    await seed({ perGroup: 1, prefix: 'new', day: 30 });
    const after = await call(t.base, 'GET', '/v1/themes?source=ticket');
    expect(list).toHaveBeenCalledTimes(2);
    expect(after.json.totalTexts).toBe(first.json.totalTexts + 3);
  });

  it('applies the filters: source, minRisk and time', async () => {
    await seed({ perGroup: 8 });
    await seed({ perGroup: 8, risk: 0.5, prefix: 'mid' });
    const chats = await call(t.base, 'GET', '/v1/themes?source=chat');
    expect(chats.json).toMatchObject({ totalTexts: 16, filters: { source: 'chat', minRisk: 0.6 } });
    const risky = await call(t.base, 'GET', '/v1/themes?minRisk=0.6');
    expect(risky.json).toMatchObject({ totalTexts: 64, dissatisfiedTexts: 32, filters: { minRisk: 0.6 } });
    const early = await call(t.base, 'GET', '/v1/themes?from=2024-01-01&to=2024-01-03');
    expect(early.json.totalTexts).toBe(2 * 4 * 3);
  });

  it('reports churn lift where outcomes are known', async () => {
    await seed({ perGroup: 8 });
    // Everyone in the "refund" group churned, everyone else stayed: lift 1 / (8/32) = 4.
    for (const [g] of GROUPS.entries()) {
      for (let i = 0; i < 8; i++)
        await t.store.feedback.insert({ customerId: `c${g}-${i}`, outcome: g === 1 ? 'churned' : 'retained' });
    }
    const r = await call(t.base, 'GET', '/v1/themes');
    const lifts = Object.fromEntries(
      r.json.themes.map((th: { keywords: string[]; churnLift: number }) => [
        th.keywords.join(' ').includes('refund') ? 'refund' : th.keywords[0],
        th.churnLift,
      ]),
    );
    expect(lifts.refund).toBeCloseTo(4);
    expect(Object.values(lifts).filter((l) => l === 0)).toHaveLength(3);
  });

  it('answers an empty store with no themes', async () => {
    const r = await call(t.base, 'GET', '/v1/themes');
    expect(r.json).toMatchObject({ themes: [], unassignedShare: 0, totalTexts: 0, dissatisfiedTexts: 0 });
  });

  it.each([
    ['minRisk=2', 'query.minRisk'],
    ['minRisk=abc', 'query.minRisk'],
    ['source=email', 'query.source'],
    ['from=yesterday', 'query.from'],
    ['from=2024-02-01&to=2024-01-01', 'query.from'],
  ])('refuses %s with 400 naming %s', async (qs, field) => {
    const r = await call(t.base, 'GET', `/v1/themes?${qs}`);
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe(field);
  });
});

describe('POST /v1/themes/probe', () => {
  it('returns the stored texts nearest the query, with their share of dissatisfied texts, mean risk and trend', async () => {
    const scored = await call(t.base, 'POST', '/v1/score', {
      items: [
        { text: 'I will cancel, refund never came', customerId: 'a', explain: false },
        { text: 'cancel cancel refund never bill', customerId: 'b', explain: false },
        { text: 'lovely helpful friendly service', customerId: 'c', explain: false },
      ],
    });
    expect(scored.status).toBe(200);
    const r = await call(t.base, 'POST', '/v1/themes/probe', { query: 'I will cancel, refund never came', limit: 2 });
    expect(r.status).toBe(200);
    expect(r.json.query).toBe('I will cancel, refund never came');
    expect(r.json.matches).toHaveLength(2);
    expect(r.json.matches[0]).toMatchObject({
      textId: scored.json.items[0].textId,
      similarity: expect.closeTo(1, 5),
      // No source in the request: the one default applies.
      source: DEFAULT_TEXT_SOURCE,
    });
    expect(r.json.matches[0].similarity).toBeGreaterThanOrEqual(r.json.matches[1].similarity);
    const risks = r.json.matches.map((m: { risk: number }) => m.risk);
    expect(r.json.meanRisk).toBeCloseTo((risks[0] + risks[1]) / 2);
    expect(r.json.shareOfDissatisfied).toBe(risks.filter((x: number) => x >= 0.6).length / 2);
    expect(r.json.weekly.reduce((s: number, w: { count: number }) => s + w.count, 0)).toBe(2);
  });

  it('applies filters to the candidates', async () => {
    await seed({ perGroup: 2 });
    const r = await call(t.base, 'POST', '/v1/themes/probe', {
      query: 'rude support agent',
      filters: { source: 'chat' },
    });
    expect(r.json.matches.map((m: { source: string }) => m.source)).toEqual(['chat', 'chat']);
  });

  it.each([
    [{ query: '   ' }, 'query'],
    [{}, 'query'],
    [{ query: 'x', limit: 201 }, 'limit'],
    [{ query: 'x', filters: { minRisk: -1 } }, 'filters.minRisk'],
    [{ query: 'x', filters: { colour: 'red' } }, 'filters'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const r = await call(t.base, 'POST', '/v1/themes/probe', body);
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe(field);
  });
});
