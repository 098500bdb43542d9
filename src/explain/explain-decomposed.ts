// Phrase drivers from the scoring pass itself: each unit's effect from the token states, no re-scoring of variants.
import type { InferenceEngine, TextScore } from '../engine';
import { decomposeWindows, unitOfTokens } from './decompose-windows';
import type { DriverTail } from './driver-tail';
import {
  explanationUnits,
  occludeUnit,
  rankPhrases,
  resolveDriverOptions,
  type DriverOptions,
  type TextExplanation,
} from './driver-units';

export interface ExplainDecomposedOptions extends DriverOptions {
  text: string;
  /** The text's score from engine.score(…, { tokenStates: true }). */
  score: TextScore;
  tail: DriverTail;
  /** The engine's window aggregate, so a unit's effect on its windows combines as the text's score does. */
  aggregate: 'max' | 'mean';
  /** Most |recomputed − model| logit accepted before the decomposition is refused for this text. */
  tolerance: number;
  /** Scores the placeholder variant of a one-unit text (one extra pass, as occlusion would). */
  engine: Pick<InferenceEngine, 'score'>;
}

export type DecomposedResult =
  { ok: true; explanation: TextExplanation; check: number } | { ok: false; reason: string; check?: number };

/**
 * Same weights as explainText — risk(text) − risk(text without unit), calibrated — with "without unit" estimated
 * from frozen-context token states. A text the tail does not reproduce within tolerance is refused, not guessed:
 * the caller falls back to occlusion.
 */
export async function explainDecomposed(opts: ExplainDecomposedOptions): Promise<DecomposedResult> {
  const { text, score, tail } = opts;
  const o = resolveDriverOptions(text, opts);
  const ts = score.tokenStates;
  if (!ts) return { ok: false, reason: 'the score carries no token states' };
  if (!ts.offsets) return { ok: false, reason: 'the tokenizer gives no offsets' };
  if (ts.dim !== tail.dim) return { ok: false, reason: `token states are ${ts.dim} wide, the tail reads ${tail.dim}` };
  const units = explanationUnits(text, o);
  const risk = o.riskOf(score.probability);
  const unitOf = unitOfTokens(text, ts.offsets, units);
  const { check, logitsWithout } = await decomposeWindows(ts, unitOf, units.length, tail);
  if (!(check <= opts.tolerance)) {
    return { ok: false, reason: `tail reproduces the logit to ${check.toFixed(4)} > ${opts.tolerance}`, check };
  }
  let without: number[];
  if (units.length === 1) {
    // Removing the only unit leaves nothing to score; as in explainText it is weighed against placeholder words.
    const [variant] = await opts.engine.score([occludeUnit(text, units[0], o.placeholder)]);
    without = [o.riskOf(variant.probability)];
  } else {
    without = logitsWithout.map((logits) => o.riskOf(aggregate(logits, opts.aggregate)));
  }
  return {
    ok: true,
    explanation: { risk, units: units.length, phrases: rankPhrases(text, units, risk, without, o) },
    check,
  };
}

function aggregate(logits: Float64Array, how: 'max' | 'mean'): number {
  let max = -Infinity;
  let sum = 0;
  for (const l of logits) {
    const p = 1 / (1 + Math.exp(-l));
    max = Math.max(max, p);
    sum += p;
  }
  return how === 'max' ? max : sum / logits.length;
}
