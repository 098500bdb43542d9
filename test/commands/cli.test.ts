import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReviews } from '../helpers/reviews';

const run = promisify(execFile);
const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
let csv: string;

beforeAll(async () => {
  const reviews = (await loadReviews()).slice(3000, 3060);
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  csv = path.join(dir, 'holdout.csv');
  fs.writeFileSync(csv, `review,score\n${reviews.map((r) => `${quote(r.review)},${r.score}`).join('\n')}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('churnscope CLI', () => {
  it("eval prints the bundled model's metrics on labelled data as JSON", async () => {
    const { code, stdout } = await cli([
      'eval',
      '--data',
      csv,
      '--text-col',
      'review',
      '--label-col',
      'score',
      '--positive',
      'other',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.data.rows).toBe(60);
    expect(report.overall.rocAuc).toBeGreaterThan(0.6);
    expect(report.overall.confusion.tp + report.overall.confusion.fn).toBe(report.overall.positives);
    expect(Object.keys(report.bySource)).toEqual(['review']);
    // The bundle's own TF-IDF baseline scored the same file; the model side is the report's own figure.
    expect(report.baseline.texts).toBe(60);
    expect(report.baseline.model.rocAuc).toBeCloseTo(report.overall.rocAuc, 9);
    expect(report.baseline.baseline.rocAuc).toBeGreaterThan(0.5);
    expect(report.baseline.modelBeatsBaseline).toBe(report.baseline.rocAucMargin > 0);
  });

  it('score-text scores texts given as arguments', async () => {
    const { code, stdout } = await cli([
      'score-text',
      'Stale and overpriced, I want my money back.',
      'Delicious, will buy again!',
    ]);
    expect(code).toBe(0);
    const [bad, good] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(bad.risk).toBeGreaterThan(good.risk);
    // risk is the calibrated value (as in the API), not the raw model output printed beside it.
    const { calibration } = JSON.parse(fs.readFileSync('models/default/config.json', 'utf8')).churnscope;
    expect(calibration.method).toBe('platt');
    for (const line of [bad, good]) {
      const platt =
        1 /
        (1 + Math.exp(-(calibration.a * Math.log(line.rawProbability / (1 - line.rawProbability)) + calibration.b)));
      expect(line.risk).toBeCloseTo(platt, 3);
      expect(line.textRisk).toBe(line.risk);
      expect(['low', 'medium', 'high', 'critical']).toContain(line.band);
    }
  });

  it.each([
    [
      'a missing column',
      ['--positive', 'other', '--text-col', 'body'],
      /missing column "body"; columns found: review, score/,
    ],
    ['an unknown positive label', ['--positive', 'bad'], /positive label "bad" not found/],
    ['an unknown mode', ['--positive', 'other', '--mode', 'turbo'], /--mode: .*auto.*head.*full.*few-shot/],
    [
      'a malformed band target',
      ['--positive', 'other', '--band-precision', 'high=lots'],
      /--band-precision: "high=lots" is not band=number/,
    ],
    ['an impossible band target', ['--positive', 'other', '--band-precision', 'high=1.5'], /--band-precision: high /],
    ['an unknown bags mode', ['--positive', 'other', '--bags', 'many'], /--bags: .*auto.*on.*off/],
    [
      'a thread count that is not a number',
      ['--positive', 'other', '--threads', 'two'],
      /--threads must be auto or a whole number from 1 to 64, got "two"/,
    ],
    ['a thread count of zero', ['--positive', 'other', '--threads', '0'], /--threads must be auto .*got "0"/],
    [
      'a missing few-shot prompts file',
      ['--positive', 'other', '--mode', 'few-shot', '--few-shot-prompts', 'no-such-prompts.json'],
      /--few-shot-prompts no-such-prompts\.json: no such file/,
    ],
  ])('train refuses %s with exit code 2 and writes nothing', async (_name, extra, message) => {
    const out = path.join(dir, `out-${Math.random()}`);
    const base = ['train', '--data', csv, '--label-col', 'score', '--out', out];
    const { code, stderr } = await cli([...base, '--text-col', 'review', ...extra]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('serve refuses a missing model directory with a clear message', async () => {
    const { code, stderr } = await cli(['serve', '--model', path.join(dir, 'nope'), '--port', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read model bundle config .*nope.*file not found/);
  });
});
