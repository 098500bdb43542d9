// Phrase-level drivers of a text's risk by batched occlusion: every leave-one-unit-out variant scored in one engine call.
import type { InferenceEngine } from '../engine';
import {
  explanationUnits,
  occludeUnit,
  rankPhrases,
  removeUnit,
  resolveDriverOptions,
  type DriverOptions,
  type TextExplanation,
} from './driver-units';

export type { DriverPhrase, TextExplanation } from './driver-units';

export interface ExplainTextOptions extends DriverOptions {
  engine: Pick<InferenceEngine, 'score'>;
  text: string;
}

/**
 * weight(unit) = risk(text) − risk(text without unit). With one unit there is nothing to remove it against (removal
 * leaves an empty text the engine refuses), so its words are replaced by a neutral placeholder word instead: the
 * weight is then how far the unit lifts risk above a content-free text of the same length, and keeping the length
 * matters because models (and the fake) read density of risky tokens, not just their presence.
 */
export async function explainText(opts: ExplainTextOptions): Promise<TextExplanation> {
  const { engine, text } = opts;
  const o = resolveDriverOptions(text, opts);
  const units = explanationUnits(text, o);
  const variants =
    units.length === 1 ? [occludeUnit(text, units[0], o.placeholder)] : units.map((u) => removeUnit(text, u));
  const scores = await engine.score([text, ...variants]);
  const risk = o.riskOf(scores[0].probability);
  const without = units.map((_, i) => o.riskOf(scores[i + 1].probability));
  return { risk, units: units.length, phrases: rankPhrases(text, units, risk, without, o) };
}
