// Decides whether one rule applies to a scored customer, and says which of its conditions did.
import { BANDS, type Band } from '../score';
import type { PlaybookRule } from './playbook-schema';

export interface RecommendInput {
  /** Calibrated risk in [0, 1]. */
  risk: number;
  band: Band;
  segment?: string;
  /** Behavioural features by name; only finite numbers take part in feature conditions. */
  features?: Readonly<Record<string, unknown>>;
  /** Driver phrases: plain strings or explainText's phrases. */
  phrases?: readonly (string | { text: string })[];
}

export interface CompiledRule {
  index: number;
  rule: PlaybookRule;
  patterns: RegExp[];
}

export function compileRule(rule: PlaybookRule, index: number): CompiledRule {
  return { index, rule, patterns: (rule.when.driverMatches ?? []).map((src) => new RegExp(src, 'i')) };
}

/** The reasons every condition of the rule holds (conditions are ANDed), or undefined when one does not. */
export function matchRule(compiled: CompiledRule, input: RecommendInput): string[] | undefined {
  const { when } = compiled.rule;
  const because: string[] = [];
  const check = (ok: boolean, reason: () => string) => {
    if (ok) because.push(reason());
    return ok;
  };
  if (when.bandAtLeast !== undefined) {
    const ok = BANDS.indexOf(input.band) >= BANDS.indexOf(when.bandAtLeast);
    if (!check(ok, () => `band ${input.band} is at least ${when.bandAtLeast}`)) return undefined;
  }
  if (when.riskAtLeast !== undefined) {
    if (!check(input.risk >= when.riskAtLeast, () => `risk ${round(input.risk)} ≥ ${when.riskAtLeast}`))
      return undefined;
  }
  if (when.segment !== undefined) {
    const seg = input.segment?.toLowerCase();
    const ok = seg !== undefined && when.segment.some((s) => s.toLowerCase() === seg);
    if (!check(ok, () => `segment ${input.segment} is one of ${when.segment?.join(', ')}`)) return undefined;
  }
  for (const [cond, strict] of [
    [when.valueAtLeast, false],
    [when.featureAbove, true],
  ] as const) {
    if (cond === undefined) continue;
    const v = input.features?.[cond.feature];
    const ok = typeof v === 'number' && Number.isFinite(v) && (strict ? v > cond.value : v >= cond.value);
    if (!check(ok, () => `${cond.feature} ${round(v as number)} ${strict ? '>' : '≥'} ${cond.value}`)) return undefined;
  }
  if (compiled.patterns.length > 0) {
    const hit = driverHit(compiled.patterns, input.phrases ?? []);
    if (!check(hit !== undefined, () => `driver "${hit?.phrase}" matches /${hit?.pattern.source}/i`)) return undefined;
  }
  return because;
}

function driverHit(patterns: RegExp[], phrases: readonly (string | { text: string })[]) {
  for (const p of phrases) {
    const phrase = typeof p === 'string' ? p : p.text;
    const pattern = patterns.find((re) => re.test(phrase));
    if (pattern) return { phrase, pattern };
  }
  return undefined;
}

const round = (x: number) => Number(x.toFixed(4));
