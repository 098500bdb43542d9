// The default bundle opened for driver evaluation: a pass-counting engine, both driver methods, held-out risky reviews.
import path from 'node:path';
import { BUNDLE_FILES, readBundleInfo, readValidationSet } from '../src/bundle';
import { engineDefaults } from '../src/config';
import { CountingTextModel, InferenceEngine, OnnxSession, planModelFiles } from '../src/engine';
import {
  explainText,
  openPhraseDrivers,
  type DriverMethodUnderTest,
  type PhraseDrivers,
  type TextSpan,
} from '../src/explain';
import type { Logger } from '../src/logging';
import { RiskCalibrator } from '../src/score';
import { TextTokenizer } from '../src/tokenize';

export interface DriverEval {
  engine: InferenceEngine;
  model: CountingTextModel;
  drivers: PhraseDrivers;
  calibrator: RiskCalibrator;
  tokenizer: TextTokenizer;
  highBand: number;
  modelFile: string;
  risk(texts: string[]): Promise<number[]>;
  methods(): DriverMethodUnderTest[];
  close(): Promise<void>;
}

export async function openDriverEval(bundleDir: string, logger: Logger): Promise<DriverEval> {
  const info = readBundleInfo(bundleDir);
  const config = engineDefaults({ threads: Number(process.env.CHURNSCOPE_THREADS ?? 0) });
  const plan = planModelFiles(bundleDir, config.precision);
  const session = await OnnxSession.create({
    modelPath: plan.cpu.path,
    providers: ['cpu'],
    threads: config.threads,
    logger,
  });
  const model = new CountingTextModel(session);
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: path.join(bundleDir, BUNDLE_FILES.tokenizer),
    maxLength: config.maxTokens * config.maxWindows,
  });
  const engine = new InferenceEngine({
    model,
    tokenizer,
    config,
    logger,
    loaded: { precision: plan.cpu.precision, modelFile: plan.cpu.file },
  });
  const drivers = await openPhraseDrivers({ engine, fp32ModelFile: path.join(bundleDir, BUNDLE_FILES.model), logger });
  const calibrator = new RiskCalibrator(info);
  const risk = async (texts: string[]) => (await engine.score(texts)).map((s) => calibrator.risk(s.probability));
  /** Runs one request's driver step and prices it in passes beyond the scoring pass. */
  const priced = async (step: () => Promise<TextSpan | undefined>) => {
    const before = model.snapshot();
    const top = await step();
    return { top, extraRuns: model.runs - before.runs, extraSequences: model.sequences - before.sequences };
  };
  // minWeight −∞ and one phrase: the top unit whatever its weight, so every text has a top driver to delete.
  const want = { calibrator, minWeight: -Infinity, maxPhrases: 1 };
  const methods = (): DriverMethodUnderTest[] => [
    {
      name: drivers.method === 'decomposed' ? 'decomposed' : 'served',
      topDriver: async (text) => {
        // As served: the scoring pass fetches token states, the drivers reuse it.
        const [score] = await engine.score([text], { tokenStates: true });
        return priced(async () => (await drivers.explain(text, { ...want, score })).phrases[0]);
      },
    },
    {
      name: 'occlusion',
      topDriver: async (text) => {
        await engine.score([text]);
        return priced(async () => (await explainText({ ...want, engine, text })).phrases[0]);
      },
    },
  ];
  return {
    engine,
    model,
    drivers,
    calibrator,
    tokenizer,
    highBand: calibrator.thresholds.high,
    modelFile: plan.cpu.file,
    risk,
    methods,
    close: () => engine.dispose(),
  };
}

/**
 * Reviews of fixtures/data/fine_foods_train.csv the bundle did not train on: those whose first maxTokens ids are a
 * text of the bundle's validation split (validation-set.json keeps ids, not texts), then those at or above the high band.
 */
export async function heldOutRiskyReviews(
  ev: DriverEval,
  bundleDir: string,
  reviews: readonly string[],
  /** Stop once this many risky reviews are found (0: all). */
  limit = 0,
): Promise<{ heldOut: string[]; risky: string[] }> {
  const { maxTokens } = readBundleInfo(bundleDir);
  const keys = new Set(readValidationSet(bundleDir).ids.map((ids) => ids.join(',')));
  const encoded = await ev.tokenizer.encodeBatch(reviews);
  const held = reviews.filter((_, i) => keys.has(Array.from(encoded[i].ids.subarray(0, maxTokens)).join(',')));
  const risky: string[] = [];
  for (let s = 0; s < held.length && (limit === 0 || risky.length < limit); s += 64) {
    const chunk = held.slice(s, s + 64);
    const risks = await ev.risk(chunk);
    risky.push(...chunk.filter((_, i) => risks[i] >= ev.highBand));
  }
  return { heldOut: held, risky: limit > 0 ? risky.slice(0, limit) : risky };
}
