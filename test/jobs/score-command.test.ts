// Smoke test of `churnscope score` as a user runs it: real default model, 50 real reviews, summary JSON on stdout.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fake-scoring';

describe('churnscope score (CLI)', () => {
  it('scores 50 fine-food reviews with the default model', () => {
    const dir = tempDir();
    const input = path.join(dir, 'reviews.csv');
    const lines = fs.readFileSync('fixtures/data/fine_foods_train.csv', 'utf8').split('\n');
    // The fixture has no multi-line records at its head, so its first 51 lines are the header and 50 rows.
    fs.writeFileSync(input, `${lines.slice(0, 51).join('\n')}\n`);
    const output = path.join(dir, 'scored.csv');
    const stdout = execFileSync(
      'node',
      ['bin/churnscope.js', 'score', '--in', input, '--out', output, '--text-col', 'review', '--id-col', 'product'],
      {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ rows: 50, scored: 50, errors: 0, aborted: false });
    expect(Object.values(summary.distribution.bands as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(50);
    const rows = parse<Record<string, string>>(fs.readFileSync(output), { columns: true });
    expect(rows).toHaveLength(50);
    expect(Object.keys(rows[0])).toEqual([
      'product',
      'review',
      'score',
      'risk',
      'band',
      'textRisk',
      'tabularRisk',
      'rawProbability',
      'phrases',
    ]);
    for (const r of rows) expect(Number(r.risk)).toBeGreaterThanOrEqual(0);
  });
});
