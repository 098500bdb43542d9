// A loaded retention playbook: turns a scored customer into the de-duplicated, prioritised actions its rules call for.
import { readFile } from 'node:fs/promises';
import { ConfigError, ValidationError } from '../errors';
import { BANDS } from '../score';
import { compileRule, matchRule, type CompiledRule, type RecommendInput } from './match-rule';
import { parsePlaybook } from './parse-playbook';
import type { PlaybookAction, PlaybookSpec } from './playbook-schema';

export interface Recommendation extends PlaybookAction {
  /** Every rule that called for this action, in file order. */
  ruleIds: string[];
  /** The conditions that matched, across those rules. */
  because: string[];
}

export class Playbook {
  private readonly rules: CompiledRule[];

  constructor(readonly spec: PlaybookSpec) {
    this.rules = spec.rules.map(compileRule);
  }

  static fromJSON(raw: unknown, file?: string): Playbook {
    return new Playbook(parsePlaybook(raw, file));
  }

  static async fromFile(file: string): Promise<Playbook> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read playbook ${file}: ${(e as Error).message}`, { file, cause: e });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`playbook ${file} is not valid JSON: ${(e as Error).message}`, { file, cause: e });
    }
    return Playbook.fromJSON(raw, file);
  }

  /**
   * Actions of every matching rule, sorted by priority (lower first, then file order). Rules naming the same action
   * id yield it once: the most urgent rule's version, with the reasons of all of them, so one customer never gets
   * two call-backs because two rules agree.
   */
  recommend(input: RecommendInput): Recommendation[] {
    checkInput(input);
    const byId = new Map<string, Recommendation & { order: number }>();
    for (const compiled of this.rules) {
      const because = matchRule(compiled, input);
      if (!because) continue;
      const { rule } = compiled;
      const seen = byId.get(rule.action.id);
      if (!seen) {
        byId.set(rule.action.id, { ...rule.action, ruleIds: [rule.id], because, order: compiled.index });
        continue;
      }
      const merged = { ruleIds: [...seen.ruleIds, rule.id], because: [...new Set([...seen.because, ...because])] };
      const base = rule.action.priority < seen.priority ? { ...rule.action, order: compiled.index } : seen;
      byId.set(rule.action.id, { ...base, ...merged });
    }
    return [...byId.values()]
      .sort((a, b) => a.priority - b.priority || a.order - b.order)
      .map(({ order: _order, ...rec }) => rec);
  }
}

function checkInput(input: RecommendInput): void {
  if (typeof input.risk !== 'number' || !(input.risk >= 0 && input.risk <= 1)) {
    throw new ValidationError(`risk must be a number in [0, 1], got ${String(input.risk)}`, { field: 'risk' });
  }
  if (!BANDS.includes(input.band)) {
    throw new ValidationError(`band must be one of ${BANDS.join(', ')}, got ${String(input.band)}`, { field: 'band' });
  }
}
