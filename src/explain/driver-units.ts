// What every phrase-driver method shares: option defaults, cutting a text into units, and ranking units into phrases.
import { ValidationError } from '../errors';
import type { RiskCalibrator } from '../score';
import type { AgentTurnPolicy } from '../text/chat-transcript';
import { capUnits } from './cap-units';
import { splitUnits } from './split-units';
import type { TextSpan } from './text-span';
import { transcriptRegions } from './transcript-regions';

export interface DriverOptions {
  /** Maps probabilities to served risk, so weights are in the units a caller sees; raw probability without it. */
  calibrator?: Pick<RiskCalibrator, 'risk'>;
  /** Most units scored (occlusion costs maxUnits + 1 texts); neighbours merge beyond it. Default 24. */
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

export interface ResolvedDriverOptions {
  maxUnits: number;
  maxPhrases: number;
  minWeight: number;
  groupWords: number;
  agentTurns: AgentTurnPolicy;
  placeholder: string;
  riskOf: (p: number) => number;
}

/** Checks text and limits before any model work; a bad value is a ValidationError naming its field. */
export function resolveDriverOptions(text: unknown, opts: DriverOptions): ResolvedDriverOptions {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ValidationError('text must be a non-empty string to explain', { field: 'text' });
  }
  const placeholder = opts.placeholder ?? 'the';
  if (!/\S/.test(placeholder))
    throw new ValidationError('placeholder must contain a visible word', { field: 'placeholder' });
  const { calibrator } = opts;
  return {
    maxUnits: positiveInt(opts.maxUnits ?? 24, 'maxUnits'),
    maxPhrases: positiveInt(opts.maxPhrases ?? 5, 'maxPhrases'),
    groupWords: positiveInt(opts.groupWords ?? 6, 'groupWords'),
    minWeight: opts.minWeight ?? 0.01,
    agentTurns: opts.agentTurns ?? 'drop',
    placeholder,
    riskOf: (p) => (calibrator ? calibrator.risk(p) : p),
  };
}

export function explanationUnits(text: string, o: ResolvedDriverOptions): TextSpan[] {
  return capUnits(
    transcriptRegions(text, o.agentTurns).flatMap((r) => splitUnits(text, r, { groupWords: o.groupWords })),
    o.maxUnits,
  );
}

/** weight(unit) = risk − riskWithout[unit]; only weights ≥ minWeight, highest first, at most maxPhrases. */
export function rankPhrases(
  text: string,
  units: readonly TextSpan[],
  risk: number,
  riskWithout: readonly number[],
  o: ResolvedDriverOptions,
): DriverPhrase[] {
  return units
    .map((u, i) => ({ text: text.slice(u.start, u.end), start: u.start, end: u.end, weight: risk - riskWithout[i] }))
    .filter((p) => p.weight >= o.minWeight)
    .sort((a, b) => b.weight - a.weight || a.start - b.start)
    .slice(0, o.maxPhrases);
}

// A space keeps the words either side of the gap from fusing into one token.
export function removeUnit(text: string, unit: TextSpan): string {
  return `${text.slice(0, unit.start)} ${text.slice(unit.end)}`;
}

export function occludeUnit(text: string, unit: TextSpan, placeholder: string): string {
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
