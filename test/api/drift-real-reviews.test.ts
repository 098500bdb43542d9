// Drift through the HTTP API with the real default bundle on real texts: complaints-only and support-ticket streams are
// flagged, held-out validation texts are not.
import fs from 'node:fs';
import seedrandom from 'seedrandom';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readValidationSet } from '../../src/bundle';
import { engineDefaults } from '../../src/config';
import { cellText } from '../../src/ingest/cell-text';
import { silentLogger } from '../../src/logging';
import { openServingModel } from '../../src/models';
import type { TextSource } from '../../src/store';
import { transcriptText } from '../../src/text/chat-transcript';
import { TextTokenizer } from '../../src/tokenize';
import { loadReviews } from '../helpers/reviews';
import { call, startTestApp, type TestApp } from './test-app';

interface Row {
  text: string;
  source: TextSource;
  dissatisfied: boolean;
}

let rows: Row[];
/** The bundle's validation texts: never trained on, the same split its reference was scored on. */
let heldOut: Row[];
beforeAll(async () => {
  const reviews = (await loadReviews()).map((r) => ({
    text: r.review,
    source: 'review' as const,
    dissatisfied: r.score === 'other',
  }));
  const support = fs
    .readFileSync('fixtures/data/tickets_chats.jsonl', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { text: unknown; source: TextSource; label: string })
    // Chats are lists of turns: the customer's turns, as training reads them.
    .map((r) => ({
      text: transcriptText(cellText(r.text), 'drop'),
      source: r.source,
      dissatisfied: r.label === 'churn',
    }));
  rows = [...reviews, ...support];
  // validation-set.json keeps token ids, not words: its texts are the rows whose first window matches one of them.
  const tokenizer = await TextTokenizer.create({ tokenizerJson: 'models/default/tokenizer.json', maxLength: 256 });
  const windows = new Set(readValidationSet('models/default').ids.map((ids) => ids.join(',')));
  const encoded = await tokenizer.encodeBatch(rows.map((r) => r.text));
  heldOut = rows.filter((_, i) => windows.has(encoded[i].ids.join(',')));
});

function sample<T>(list: readonly T[], n: number, seed: string): T[] {
  const rnd = seedrandom(seed);
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function driftOf(stream: readonly Row[]) {
  const model = await openServingModel({
    dir: 'models/default',
    engine: engineDefaults({ providers: ['cpu'], workers: 1 }),
    logger: silentLogger(),
  });
  app = await startTestApp({ initialModel: model });
  for (let s = 0; s < stream.length; s += 16) {
    const items = stream
      .slice(s, s + 16)
      .map((r) => ({ text: r.text.slice(0, 1200), source: r.source, explain: false }));
    const scored = await call(app.base, 'POST', '/v1/score', { items });
    expect(scored.status, scored.text).toBe(200);
  }
  const r = await call(app.base, 'GET', '/v1/monitoring/drift');
  expect(r.status).toBe(200);
  return r.json as { signals: { name: string; psi: number; drifted: boolean }[]; window: { count: number } };
}

const reports: Record<string, unknown> = {};
const byName = (report: { signals: { name: string; psi: number; drifted: boolean }[] }) =>
  Object.fromEntries(report.signals.map((s) => [s.name, s]));

describe('drift of the default bundle on real texts', () => {
  it('does not flag held-out texts (a sample of the validation split, all sources in their own mix)', async () => {
    expect(heldOut.length).toBeGreaterThanOrEqual(856);
    const report = await driftOf(sample(heldOut, 300, 'unshifted'));
    reports.unshifted = report;
    expect(report.window.count).toBe(300);
    expect(report.signals.filter((s) => s.drifted).map((s) => s.name)).toEqual([]);
  });

  it('flags risk on a stream of dissatisfied reviews only', async () => {
    const report = await driftOf(
      sample(
        rows.filter((r) => r.source === 'review' && r.dissatisfied),
        300,
        'complaints',
      ),
    );
    reports.dissatisfiedReviews = report;
    expect(byName(report).risk.drifted).toBe(true);
  });

  it('flags source mix, length and embedding distance on support tickets and chats against the review-heavy reference', async () => {
    const report = await driftOf(rows.filter((r) => r.source === 'ticket' || r.source === 'chat'));
    reports.supportTickets = report;
    const s = byName(report);
    expect(s.source.drifted).toBe(true);
    expect(s.tokens.drifted).toBe(true);
    expect(s.centroid_distance.drifted).toBe(true);
    if (process.env.DRIFT_REPORT_FILE)
      fs.writeFileSync(process.env.DRIFT_REPORT_FILE, JSON.stringify(reports, null, 2));
  });
});
