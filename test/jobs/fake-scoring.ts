// A fake engine and calibrator for batch-job tests: the real InferenceEngine over FakeTextModel and a word tokenizer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineDefaults } from '../../src/config';
import { FakeTextModel, InferenceEngine, type EngineTokenizer } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import type { JobSpec } from '../../src/jobs';
import { RiskCalibrator } from '../../src/score';

const RISKY: Record<string, number> = { cancel: 1, refund: 2, never: 3, bill: 4 };
const tokenizer: EngineTokenizer = {
  async encodeBatch(texts) {
    return texts.map((t) => ({
      ids: Int32Array.from(
        t
          .toLowerCase()
          .split(/[^a-z]+/)
          .filter(Boolean)
          .map((w) => RISKY[w] ?? 10 + (w.length % 50)),
      ),
    }));
  },
};

export function fakeEngine(delayMs = 0): InferenceEngine {
  return new InferenceEngine({
    model: new FakeTextModel({ riskyIds: Object.values(RISKY), delayMs }),
    tokenizer,
    config: engineDefaults({ maxTextBytes: 2000, maxWaitMs: 1 }),
    logger: silentLogger(),
  });
}

export const fakeCalibrator = new RiskCalibrator({ bands: { medium: 0.3, high: 0.6, critical: 0.85 } });

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'churnscope-jobs-'));
}

/** n review rows; every text has words, some risky, and some contain commas and quotes to test CSV escaping. */
export function reviewRows(n: number): { id: string; text: string; stars: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i + 1}`,
    text: i % 3 === 0 ? `I will cancel, "never" again #${i}` : `lovely product, works fine ${'x'.repeat(i % 7)}`,
    stars: String((i % 5) + 1),
  }));
}

export function toCsv(rows: Record<string, string>[]): string {
  const cols = Object.keys(rows[0]);
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${cols.join(',')}\n${rows.map((r) => cols.map((c) => q(r[c])).join(',')).join('\n')}\n`;
}

/** A plain CSV job over `inputPath` (text column "text", id column "id", CSV out, texts not stored), as jobs tests use. */
export function csvJobSpec(inputPath: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    textCol: 'text',
    idCol: 'id',
    storeTexts: false,
    source: 'review',
    output: 'csv',
    format: 'csv',
    inputPath,
    filename: null,
    bytes: 0,
    ...extra,
  };
}
