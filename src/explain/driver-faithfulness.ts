// Deletion test of phrase drivers: does removing a text's top driver lower its risk more than removing a random clause?
import { rng } from '../sampling';
import { explanationUnits, removeUnit, resolveDriverOptions } from './driver-units';
import type { TextSpan } from './text-span';

export interface DriverMethodUnderTest {
  name: string;
  /** One request's top driver (undefined: the method names none) and the model passes it cost beyond scoring. */
  topDriver(text: string): Promise<{ top?: TextSpan; extraRuns: number; extraSequences: number }>;
}

export interface MethodFaithfulness {
  /** Share of evaluated texts whose top-driver deletion lowered risk strictly more than the random clause's. */
  rate: number;
  wins: number;
  evaluated: number;
  /** Texts where the method named no driver: counted as losses. */
  noDriver: number;
  meanDropTop: number;
  meanDropRandom: number;
  /** Mean model passes per request beyond the scoring pass: run() calls and sequences (windows). */
  extraRunsPerRequest: number;
  extraSequencesPerRequest: number;
}

export interface FaithfulnessReport {
  texts: number;
  /** One-unit texts have no other clause to compare with, so they are left out. */
  singleUnit: number;
  methods: Record<string, MethodFaithfulness>;
}

/**
 * For each text with two units or more and each method: delete the method's top driver, and a random other unit of
 * similar length (within half to double its characters, else the closest in length; seeded per text), rescore both
 * shortened texts for real, and count a win when the top driver's deletion lowers risk strictly more.
 */
export async function deletionFaithfulness(opts: {
  texts: readonly string[];
  methods: readonly DriverMethodUnderTest[];
  /** Served (calibrated) risk of each text by a true scoring pass. */
  risk: (texts: string[]) => Promise<number[]>;
  seed?: number;
}): Promise<FaithfulnessReport> {
  const o = resolveDriverOptions('x', {});
  const acc = new Map(opts.methods.map((m) => [m.name, { wins: 0, n: 0, none: 0, top: 0, rnd: 0, runs: 0, seqs: 0 }]));
  let singleUnit = 0;
  for (const [i, text] of opts.texts.entries()) {
    const units = explanationUnits(text, o);
    if (units.length < 2) {
      singleUnit++;
      continue;
    }
    for (const m of opts.methods) {
      const a = acc.get(m.name)!;
      const { top, extraRuns, extraSequences } = await m.topDriver(text);
      a.n++;
      a.runs += extraRuns;
      a.seqs += extraSequences;
      if (!top) {
        a.none++;
        continue;
      }
      const other = similarUnit(units, top, (opts.seed ?? 7) * 100_003 + i);
      const [full, noTop, noOther] = await opts.risk([text, removeUnit(text, top), removeUnit(text, other)]);
      a.top += full - noTop;
      a.rnd += full - noOther;
      if (full - noTop > full - noOther) a.wins++;
    }
  }
  const methods: Record<string, MethodFaithfulness> = {};
  for (const [name, a] of acc) {
    const n = Math.max(a.n, 1);
    methods[name] = {
      rate: a.wins / n,
      wins: a.wins,
      evaluated: a.n,
      noDriver: a.none,
      meanDropTop: a.top / n,
      meanDropRandom: a.rnd / n,
      extraRunsPerRequest: a.runs / n,
      extraSequencesPerRequest: a.seqs / n,
    };
  }
  return { texts: opts.texts.length, singleUnit, methods };
}

function similarUnit(units: readonly TextSpan[], top: TextSpan, seed: number): TextSpan {
  const len = (u: TextSpan) => u.end - u.start;
  const others = units.filter((u) => u.start !== top.start || u.end !== top.end);
  const similar = others.filter((u) => len(u) >= len(top) / 2 && len(u) <= len(top) * 2);
  if (similar.length > 0) return similar[Math.floor(rng(seed)() * similar.length)];
  return others.reduce((best, u) => (Math.abs(len(u) - len(top)) < Math.abs(len(best) - len(top)) ? u : best));
}
