import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOutcomeStore } from '../helpers/outcome-store';
import { loadReviews, type Review } from '../helpers/reviews';

const run = promisify(execFile);
const CLI = path.resolve('bin/churnscope.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrain-cli-'));
const db = (name: string) => path.join(dir, name);
let reviews: Review[];

beforeAll(async () => {
  reviews = (await loadReviews()).slice(0, 300);
  await seedOutcomeStore(db('real.db'), reviews);
  await seedOutcomeStore(db('empty.db'), []);
  await seedOutcomeStore(db('few.db'), reviews.slice(0, 20));
  await seedOutcomeStore(
    db('one-class.db'),
    reviews.filter((r) => r.score === 'great'),
  );
  await seedOutcomeStore(db('no-text.db'), reviews.slice(0, 60), { withoutText: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'retrain', ...args], {
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const FAST = ['--mode', 'few-shot', '--backend', 'wasm', '--no-quantize', '--cache-dir', path.join(dir, 'cache')];

describe('churnscope retrain', () => {
  it('prints the champion/challenger comparison as JSON', async () => {
    const out = path.join(dir, 'challenger');
    const { code, stdout, stderr } = await cli(['--db', db('real.db'), '--out', out, '--resamples', '200', ...FAST]);
    expect(stderr).toContain('retrain: evaluating');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report).sort()).toEqual(
      ['challenger', 'champion', 'difference', 'heldBack', 'promoted', 'reason', 'trainedOn'].sort(),
    );
    expect(report.heldBack.count).toBe(60);
    expect(report.trainedOn.fromStore).toBe(240);
    expect(report.champion.rocAuc).toBeGreaterThan(0.5);
    expect(report.challenger.rocAuc).toBeGreaterThan(0.5);
    expect(report.difference.interval95[0]).toBeLessThanOrEqual(report.difference.rocAuc);
    expect(report.promoted).toBe(false);
    expect(fs.existsSync(path.join(out, 'onnx/model.onnx'))).toBe(true);
  });

  it.each([
    ['empty.db', [], /no churned\/retained outcomes are stored/],
    ['few.db', [], /too few outcomes with text to retrain: 20 \(\d+ churned, \d+ retained\)/],
    ['one-class.db', [], /\(0 churned, \d+ retained\)/],
    ['no-text.db', [], /none of the 60 texts with outcomes has its words stored.*no texts to train on/],
    ['real.db', ['--store-text', 'none'], /privacy.storeText is none.*no texts to train on/],
    ['real.db', ['--base-data', 'nope.csv', '--positive', 'other'], /--base-data nope.csv does not exist/],
    ['real.db', ['--base-data', 'x.csv'], /--base-data needs --positive/],
    ['real.db', ['--held-back-fraction', '1.5'], /--held-back-fraction must lie between 0 and 1/],
    ['real.db', ['--since', 'last week'], /--since must be an ISO-8601 date/],
    ['missing.db', [], /database .*missing.db not found/],
  ])('%s %j: one line, exit 2, nothing written', async (name, extra, message) => {
    const out = path.join(dir, 'refused');
    const { code, stderr } = await cli(['--db', db(name), '--out', out, ...FAST, ...extra]);
    expect(code).toBe(2);
    expect(
      stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('churnscope:')),
    ).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(db('missing.db'))).toBe(false);
  });

  it('refuses an existing --out and leaves it as it was', async () => {
    const out = path.join(dir, 'taken');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const { code, stderr } = await cli(['--db', db('real.db'), '--out', out, ...FAST]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out .*taken already exists/);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });
});
