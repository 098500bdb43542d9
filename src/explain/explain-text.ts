// Phrase-level drivers of a text's risk by batched occlusion: every leave-one-unit-out variant scored in one engine call.
import type { InferenceEngine } from '../engine';
import { ValidationError } from '../errors';
import type { RiskCalibrator } from '../score';
import type { AgentTurnPolicy } from '../text/chat-transcript';
import { capUnits } from './cap-units';
import { splitUnits } from './split-units';
import type { TextSpan } from './text-span';
import { transcriptRegions } from './transcript-regions';

export interface ExplainTextOptions {
  engine: Pick<InferenceEngine, 'score'>;
  text: string;
  /** Maps probabilities to served risk, so weights are in the units a caller sees; raw probability without it. */
  calibrator?: Pick<RiskCalibrator, 'risk'>;
  /** Most units scored (cost is maxUnits + 1 texts); neighbours merge beyond it. Default 24. */
  maxUnits?: number;
  /** Most phrases returned. Default 5. */
  maxPhrases?: number;
  /** Phrases whose weight is below this are not drivers. Default 0.01. */
  minWeight?: number;
  /** Words per group when a clause is too long to be one unit. Default 6. */
  groupWords?: number;
  /** For turn-prefixed transcripts: whether agent turns can be drivers. Default 'drop'. */
  agentTurns?: AgentTurnPolicy;
  /** The neutral word that stands in for each word of a lone unit (see explainText). Default "the". */
  placeholder?: string;
}

export interface DriverPhrase {
  text: string;
  /** Offsets into the text as given: text.slice(start, end) === phrase text. */
  start: number;
  end: number;
  /** Risk of the full text minus risk without this phrase; positive means the phrase pushes risk up. */
  weight: number;
}

export interface TextExplanation {
  /** Risk of the full text (calibrated when a calibrator is given). */
  risk: number;
  /** Units the text was cut into after the cap: the number of variants scored besides the full text. */
  units: number;
  /** Risk-raising phrases, highest weight first. */
  phrases: DriverPhrase[];
}

/**
 * weight(unit) = risk(text) − risk(text without unit). With one unit there is nothing to remove it against (removal
 * leaves an empty text the engine refuses), so its words are replaced by a neutral placeholder word instead: the
 * weight is then how far the unit lifts risk above a content-free text of the same length, and keeping the length
 * matters because models (and the fake) read density of risky tokens, not just their presence.
 */
export async function explainText(opts: ExplainTextOptions): Promise<TextExplanation> {
  const { engine, text, calibrator } = opts;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError('text must be a non-empty string to explain', { field: 'text' });
  }
  const maxUnits = positiveInt(opts.maxUnits ?? 24, 'maxUnits');
  const maxPhrases = positiveInt(opts.maxPhrases ?? 5, 'maxPhrases');
  const groupWords = positiveInt(opts.groupWords ?? 6, 'groupWords');
  const minWeight = opts.minWeight ?? 0.01;
  const placeholder = opts.placeholder ?? 'the';
  if (!/\S/.test(placeholder))
    throw new ValidationError('placeholder must contain a visible word', { field: 'placeholder' });

  const units = capUnits(
    transcriptRegions(text, opts.agentTurns ?? 'drop').flatMap((r) => splitUnits(text, r, { groupWords })),
    maxUnits,
  );
  const variants = units.length === 1 ? [occlude(text, units[0], placeholder)] : units.map((u) => remove(text, u));
  const scores = await engine.score([text, ...variants]);
  const riskOf = (p: number) => (calibrator ? calibrator.risk(p) : p);
  const risk = riskOf(scores[0].probability);

  const phrases = units
    .map((u, i) => ({
      text: text.slice(u.start, u.end),
      start: u.start,
      end: u.end,
      weight: risk - riskOf(scores[i + 1].probability),
    }))
    .filter((p) => p.weight >= minWeight)
    .sort((a, b) => b.weight - a.weight || a.start - b.start)
    .slice(0, maxPhrases);
  return { risk, units: units.length, phrases };
}

// A space keeps the words either side of the gap from fusing into one token.
function remove(text: string, unit: TextSpan): string {
  return `${text.slice(0, unit.start)} ${text.slice(unit.end)}`;
}

function occlude(text: string, unit: TextSpan, placeholder: string): string {
  return (
    text.slice(0, unit.start) +
    text.slice(unit.start, unit.end).replace(/\S+/g, () => placeholder) +
    text.slice(unit.end)
  );
}

function positiveInt(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new ValidationError(`${field} must be a positive integer, got ${v}`, { field });
  return v;
}
