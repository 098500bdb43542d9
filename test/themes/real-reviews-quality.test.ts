// Themes of the real dissatisfied (`other`) fine-food reviews, embedded by the bundled model: distinct and readable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, engineDefaults } from '../../src/config';
import { createEngine } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import { ThemesService, type ThemesFitResult } from '../../src/themes';
import { cosine, meanDirection } from '../../src/themes/vector-math';
import { loadReviews } from '../helpers/reviews';
import { tempStore, type TempStore } from '../store/temp-store';

const jaccard = (a: readonly string[], b: readonly string[]) => {
  const B = new Set(b);
  const shared = a.filter((x) => B.has(x)).length;
  return shared / (new Set([...a, ...b]).size || 1);
};

describe('themes of the real `other` reviews', () => {
  let temp: TempStore;
  let fitted: ThemesFitResult;

  beforeAll(async () => {
    const texts = (await loadReviews()).filter((r) => r.score === 'other').map((r) => r.review);
    const engine = await createEngine({
      bundleDir: DEFAULT_MODEL_DIR,
      config: engineDefaults({ providers: ['cpu'] }),
      logger: silentLogger(),
    });
    const scores = await engine.score(texts).finally(() => engine.dispose());
    temp = await tempStore();
    const start = Date.UTC(2024, 0, 1);
    await temp.store.transaction(async (tx) => {
      for (let i = 0; i < texts.length; i++) {
        const createdAt = new Date(start + (i % 84) * 86_400_000);
        const textId = await tx.texts.insert({ text: texts[i], source: 'review', hash: `h${i}`, createdAt });
        await tx.scores.insert({
          textId,
          modelVersion: 'default',
          risk: 0.9,
          textRisk: 0.9,
          tabularRisk: null,
          band: 'high',
          drivers: null,
          embedding: scores[i].embedding,
          createdAt,
        });
      }
    });
    // The label already says these reviews are dissatisfied: every one of them is clustered.
    fitted = await new ThemesService({ store: temp.store, logger: silentLogger(), defaultMinRisk: () => 0.5 }).fit({
      minRisk: 0,
    });
  });
  afterAll(() => temp?.cleanup());

  it('finds several themes, leaves few reviews unassigned, and the largest ones share few keywords', () => {
    const { result } = fitted;
    const top = result.themes.slice(0, 5);
    const pairs = top.flatMap((a, i) =>
      top.slice(i + 1).map((b) => ({ a: a.label, b: b.label, jaccard: jaccard(a.keywords, b.keywords) })),
    );
    process.stdout.write(
      `themes of ${result.dissatisfiedTexts} other reviews: ${JSON.stringify({ themes: result.themes.map((t) => ({ size: t.size, keywords: t.keywords.join(', ') })), unassignedShare: result.unassignedShare, maxJaccard: Math.max(...pairs.map((p) => p.jaccard)) })}\n`,
    );
    expect(result.dissatisfiedTexts).toBeGreaterThan(1300);
    expect(result.themes.length).toBeGreaterThanOrEqual(5);
    expect(result.unassignedShare).toBeLessThan(0.05);
    for (const t of top) expect(t.keywords).toHaveLength(10);
    for (const p of pairs) expect(p.jaccard, `${p.a} vs ${p.b}`).toBeLessThanOrEqual(0.2);
  });

  it("gives each theme three distinct quotes, each nearer its own theme's centroid than any other", () => {
    const { result, fit } = fitted;
    const byId = new Map(fit.dissatisfied.map((t) => [t.textId, t.embedding]));
    // Centroids recomputed here from the members, independently of the engine's own.
    const centroids = fit.themes.map((_, c) =>
      meanDirection(
        fit.dissatisfied.filter((_, i) => fit.assignments[i] === c).map((t) => t.embedding),
        512,
      ),
    );
    result.themes.forEach((theme, c) => {
      expect(theme.quotes).toHaveLength(3);
      expect(new Set(theme.quotes.map((q) => q.textId)).size).toBe(3);
      for (const q of theme.quotes) {
        const e = byId.get(q.textId)!;
        const own = cosine(e, centroids[c]);
        const nearestOther = Math.max(...centroids.filter((_, o) => o !== c).map((o) => cosine(e, o)));
        expect(own, `${theme.label}: "${q.text.slice(0, 60)}"`).toBeGreaterThan(nearestOther);
        expect(q.text.length).toBeLessThanOrEqual(241);
      }
    });
  });

  it('recognises a product theme a product manager would: pets, tea/coffee and shipping among the keywords', () => {
    const all = fitted.result.themes.map((t) => t.keywords);
    // Pets: the head-mode bundle's theme said dogs; the fine-tuned one's says cats (cat, foods, cats, diet, ...).
    expect(all.some((k) => ['dog', 'dogs', 'cat', 'cats', 'pet', 'pets'].some((w) => k.includes(w)))).toBe(true);
    expect(all.some((k) => k.includes('tea') || k.includes('coffee'))).toBe(true);
    expect(all.some((k) => k.includes('shipping') || k.includes('box') || k.includes('arrived'))).toBe(true);
  });
});
