// One scoring request as named steps: model → text risk → drivers → customer context → fusion → actions → store → alerts.
import type { AlertService } from '../alerts';
import type { ScoreRequestItem } from './score-request';
import type { TextScore } from '../engine';
import { explainText, type DriverPhrase } from '../explain';
import { customerRisk, type FeatureContribution, type FusionModel } from '../fuse';
import type { ModelRegistry, ServingModel } from '../models';
import type { Playbook, Recommendation } from '../playbook';
import { prepareForStorage, type PrivacyPolicy } from '../privacy';
import { cosineDistance } from '../drift';
import { BANDS, type Band } from '../score';
import type { Store, StoreRepositories } from '../store';
import type { CoalescedWrites } from './coalesced-writes';
import { DEFAULT_TEXT_SOURCE } from '../text/text-source';
import type { ShadowScorer } from './shadow-scorer';

export interface ScoreTextsDeps {
  models: ModelRegistry;
  store: Store;
  playbook: Playbook;
  fusion?: FusionModel;
  alerts?: AlertService;
  clock?: () => Date;
  /** In batches, phrase drivers are computed only from this band up (one model pass each, or one per clause on occlusion). */
  explainBatchFromBand?: Band;
  /** What is kept of each text and its phrase drivers (default: redacted). Scoring itself always sees the raw text. */
  privacy?: PrivacyPolicy;
  /** Also scores a sampled share of the texts with an inactive model, after the response (config shadow). */
  shadow?: ShadowScorer;
  /** Groups the store writes of requests finishing together into one transaction; absent: one transaction each. */
  writes?: CoalescedWrites;
}

export interface ScoreResult {
  textId: string;
  risk: number;
  band: Band;
  textRisk: number;
  tabularRisk: number | null;
  used: 'fused' | 'tabular' | 'text';
  drivers: { phrases: DriverPhrase[]; features: FeatureContribution[] };
  recommendedActions: Recommendation[];
  modelVersion: string;
}

export async function scoreTexts(
  deps: ScoreTextsDeps,
  items: readonly ScoreRequestItem[],
  opts: {
    batch: boolean;
    /** performance.now() by which the texts' model work should be done (admission control); absent: none. */
    deadline?: number;
  },
): Promise<ScoreResult[]> {
  // The request holds its model from the first engine call to the last store write (drivers included): a swap
  // meanwhile neither changes nor disposes it.
  const lease = deps.models.acquire();
  try {
    const model = lease.model;
    const now = (deps.clock ?? (() => new Date()))();
    // Decomposed drivers reuse the scoring pass when it also fetches token states. A batch's bands are unknown until
    // scored and most stay below the drivers' band, so there only an explicit explain pays for the states up front.
    const tokenStates =
      model.drivers?.method === 'decomposed' &&
      items.some((i) => i.explain === true || (!opts.batch && i.explain === undefined));
    const scores = await model.engine.score(
      items.map((i) => i.text),
      tokenStates || opts.deadline !== undefined ? { tokenStates, deadline: opts.deadline } : undefined,
    );
    const textRisks = scores.map((s) => model.calibrator.risk(s.probability));
    const results = await Promise.all(
      items.map((item, i) =>
        scoreOne(deps, model, item, { textRisk: textRisks[i], score: scores[i], now, batch: opts.batch }),
      ),
    );
    // Only once every text is stored (the shadow score references it); offer() returns at once and never throws.
    deps.shadow?.offer(results.map((r, i) => ({ textId: r.textId, text: items[i].text })));
    return results;
  } finally {
    lease.release();
  }
}

async function scoreOne(
  deps: ScoreTextsDeps,
  model: ServingModel,
  item: ScoreRequestItem,
  ctx: { textRisk: number; score: TextScore; now: Date; batch: boolean },
): Promise<ScoreResult> {
  const { customer, features, history, fused } = await customerRisk(deps, {
    customerId: item.customerId ?? null,
    features: item.features,
    textRisk: ctx.textRisk,
    now: ctx.now,
  });
  const band = model.calibrator.band(fused.risk);
  const phrases = wantsDrivers(deps, item.explain, ctx.batch, band)
    ? await driverPhrases(model, item.text, ctx.score)
    : [];
  const drivers = { phrases, features: fused.contributions.slice(0, 5) };
  const recommendedActions = deps.playbook.recommend({
    risk: fused.risk,
    band,
    segment: customer?.segment ?? undefined,
    features: features ?? undefined,
    phrases,
  });
  const { textId, textHash } = await persist(deps, model, item, {
    ...fused,
    band,
    textRisk: ctx.textRisk,
    drivers,
    score: ctx.score,
    now: ctx.now,
  });
  const previous = history[0] ? { risk: history[0].risk, at: history[0].createdAt } : null;
  deps.alerts?.onScored({
    customerId: item.customerId ?? null,
    textId,
    textHash,
    risk: fused.risk,
    band,
    previousRisk: previous,
    at: ctx.now.toISOString(),
  });
  return {
    textId,
    risk: fused.risk,
    band,
    textRisk: ctx.textRisk,
    tabularRisk: fused.tabularRisk,
    used: fused.used,
    drivers,
    recommendedActions,
    modelVersion: model.version,
  };
}

async function driverPhrases(model: ServingModel, text: string, score: TextScore): Promise<DriverPhrase[]> {
  const { calibrator, drivers } = model;
  if (drivers) return (await drivers.explain(text, { score, calibrator })).phrases;
  return (await explainText({ engine: model.engine, text, calibrator })).phrases;
}

function wantsDrivers(deps: ScoreTextsDeps, explain: boolean | undefined, batch: boolean, band: Band): boolean {
  if (explain !== undefined) return explain;
  if (!batch) return true;
  return BANDS.indexOf(band) >= BANDS.indexOf(deps.explainBatchFromBand ?? 'high');
}

async function persist(
  deps: ScoreTextsDeps,
  model: ServingModel,
  item: ScoreRequestItem,
  s: {
    risk: number;
    tabularRisk: number | null;
    band: Band;
    textRisk: number;
    drivers: ScoreResult['drivers'];
    score: TextScore;
    now: Date;
  },
): Promise<{ textId: string; textHash: string }> {
  // Phrase drivers quote the text, so they are stored under the same policy as the text itself.
  const kept = prepareForStorage(item.text, deps.privacy, { spans: s.drivers.phrases });
  const drivers = { ...s.drivers, phrases: kept.spans };
  const write = <T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> =>
    deps.writes ? deps.writes.run(fn) : deps.store.transaction(fn);
  return write(async (tx) => {
    const textId = await tx.texts.insert({
      customerId: item.customerId ?? null,
      source: item.source ?? DEFAULT_TEXT_SOURCE,
      text: kept.text,
      hash: kept.hash,
      snippet: kept.snippet,
      createdAt: s.now,
    });
    await tx.scores.insert({
      textId,
      modelVersion: model.version,
      risk: s.risk,
      textRisk: s.textRisk,
      tabularRisk: s.tabularRisk,
      band: s.band,
      drivers,
      embedding: s.score.embedding,
      // What drift is later measured on (src/drift); the distance needs the bundle's reference centroid.
      tokens: s.score.tokens,
      rareShare: s.score.rareShare ?? null,
      centroidDistance: model.driftReference ? cosineDistance(s.score.embedding, model.driftReference.centroid) : null,
      createdAt: s.now,
    });
    return { textId, textHash: kept.hash };
  });
}
