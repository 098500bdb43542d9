// Test helper: a SQLite store fed with real reviews as texts and their labels as churned/retained outcomes, one a day.
import seedrandom from 'seedrandom';
import { silentLogger } from '../../src/logging';
import { SqliteStore } from '../../src/store';
import type { Review } from './reviews';

export interface SeedOptions {
  /** The first this many outcomes get shuffled labels (a challenger trained on them learns nothing). */
  shuffleFirst?: number;
  /** Texts stored without their words, as privacy.storeText 'none' does. */
  withoutText?: boolean;
}

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();

/** Review i is written at hour i and its outcome ('other' → churned) reported an hour later. */
export async function seedOutcomeStore(file: string, reviews: readonly Review[], opts: SeedOptions = {}) {
  const store = await SqliteStore.create({ path: file, logger: silentLogger() });
  const labels = reviews.map((r): 'churned' | 'retained' => (r.score === 'other' ? 'churned' : 'retained'));
  const n = opts.shuffleFirst ?? 0;
  const rnd = seedrandom('shuffle');
  const head = labels.slice(0, n);
  for (let i = head.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [head[i], head[j]] = [head[j], head[i]];
  }
  labels.splice(0, n, ...head);
  try {
    for (const [i, r] of reviews.entries()) {
      const textId = await store.texts.insert({
        customerId: `c${i}`,
        source: 'review',
        text: opts.withoutText ? null : r.review,
        hash: `h${i}`,
        createdAt: day(i),
      });
      await store.feedback.insert({ textId, outcome: labels[i], at: day(i + 1) });
    }
  } finally {
    await store.dispose();
  }
}
