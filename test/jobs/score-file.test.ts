// scoreFile end to end over a fake engine: formats, bad rows, abort and resume, unreadable files.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors';
import { errorsPath, scoreFile, type ScoreFileOptions } from '../../src/jobs';
import { PhraseDrivers } from '../../src/explain';
import { silentLogger } from '../../src/logging';
import { FAKE_TAIL, fakeEngine as explainFakeEngine } from '../explain/fake-engine';
import { fakeCalibrator, fakeEngine, reviewRows, tempDir, toCsv } from './fake-scoring';

const engine = fakeEngine();
afterAll(() => engine.dispose());
const dir = tempDir();
const run = (o: Partial<ScoreFileOptions> & { input: string; output: string }) =>
  scoreFile({ textColumn: 'text', idColumn: 'id', engine, calibrator: fakeCalibrator, chunkSize: 16, ...o });
const errorsOf = (out: string) =>
  fs
    .readFileSync(`${out}.errors.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { line: number; reason: string });

describe('scoreFile', () => {
  it('CSV in, CSV out: every column kept, quotes and commas preserved, scores appended in input order', async () => {
    const rows = reviewRows(100);
    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, toCsv(rows));
    const output = path.join(dir, 'out.csv');
    const s = await run({ input, output });
    expect(s).toMatchObject({ rows: 100, scored: 100, errors: 0, skipped: 0, aborted: false });
    const out = parse<Record<string, string>>(fs.readFileSync(output), { columns: true });
    expect(Object.keys(out[0])).toEqual([
      'id',
      'text',
      'stars',
      'risk',
      'band',
      'textRisk',
      'tabularRisk',
      'rawProbability',
      'phrases',
    ]);
    expect(out.map((r) => ({ id: r.id, text: r.text, stars: r.stars }))).toEqual(rows);
    const risky = out[0];
    expect(Number(risky.risk)).toBeGreaterThan(Number(out[1].risk));
    expect(risky.phrases).toBe('');
    expect(Object.values(s.distribution.bands).reduce((a, b) => a + b, 0)).toBe(100);
    expect(s.distribution.deciles.reduce((a, b) => a + b, 0)).toBe(100);
    expect(JSON.parse(fs.readFileSync(`${output}.progress.json`, 'utf8'))).toMatchObject({
      done: true,
      written: 100,
      lastId: 'r100',
    });
  });

  it("a named time column must hold times: a bad cell is that row's error, the other rows are scored", async () => {
    const input = path.join(dir, 'times.csv');
    fs.writeFileSync(
      input,
      'id,text,when\nr1,refund never came,2026-03-01\nr2,lovely tea,03/04/2025\nr3,stale cookies,1772368200\n',
    );
    const output = path.join(dir, 'times-out.csv');
    const s = await run({ input, output, timeColumn: 'when' });
    expect(s).toMatchObject({ rows: 3, scored: 2, errors: 1 });
    const [err] = errorsOf(output);
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/column "when" has "03\/04\/2025", which is not a time/);
  });

  it('JSONL in (gzipped), JSONL out, with phrases on request', async () => {
    const rows = reviewRows(20);
    const input = path.join(dir, 'in.jsonl.gz');
    fs.writeFileSync(input, gzipSync(rows.map((r) => JSON.stringify({ ...r, n: 1 })).join('\n')));
    const output = path.join(dir, 'out.jsonl');
    const s = await run({ input, output, phrases: true });
    expect(s.scored).toBe(20);
    const out = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ id: 'r1', n: 1, band: expect.any(String), rawProbability: expect.any(Number) });
    expect(JSON.parse(out[0].phrases)[0].text).toMatch(/cancel|never/);
  });

  it("takes phrases from the model's drivers when given: decomposed, one pass per row, as occlusion ranks them", async () => {
    const rows = reviewRows(12);
    const input = path.join(dir, 'drivers.jsonl');
    fs.writeFileSync(input, rows.map((r) => JSON.stringify(r)).join('\n'));
    const { raw, model } = explainFakeEngine({ tokenStates: true });
    const drivers = new PhraseDrivers(raw, FAKE_TAIL, silentLogger());
    const phrasesOf = async (o: Partial<ScoreFileOptions>, output: string) => {
      await run({ input, output, phrases: true, engine: raw, ...o });
      return fs
        .readFileSync(output, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).phrases as string);
    };
    const before = model.batches.length;
    const decomposed = await phrasesOf({ drivers }, path.join(dir, 'drivers-dec.jsonl'));
    expect(drivers.counts.decomposed).toBe(12);
    expect(model.batches.length - before).toBeLessThanOrEqual(1 + 12);
    const occlusion = await phrasesOf({}, path.join(dir, 'drivers-occ.jsonl'));
    const texts = (p: string[]) => p.map((j) => (JSON.parse(j) as { text: string }[]).map((x) => x.text));
    expect(texts(decomposed).flat().length).toBeGreaterThan(0);
    expect(texts(decomposed)).toEqual(texts(occlusion));
  });

  it('reports bad rows with line numbers and reasons, and keeps going', async () => {
    const input = path.join(dir, 'bad.jsonl');
    const lines = [
      JSON.stringify({ id: 'a', text: 'fine thing' }),
      '{ not json',
      JSON.stringify({ id: 'b', text: '   ' }),
      JSON.stringify({ id: 'c', body: 'no text column' }),
      '{"id":"d","text":"broken @@BYTE@@ bytes"}',
      '[1,2]',
      JSON.stringify({ id: 'e', text: 'cancel my bill' }),
      // A real U+FFFD in valid UTF-8 is text, not an encoding error.
      JSON.stringify({ id: 'f', text: 'the label said \uFFFD instead of a letter' }),
    ];
    const bytes = Buffer.from(lines.join('\n'), 'utf8');
    const at = bytes.indexOf('@@BYTE@@'); // replaced by a byte that is not UTF-8
    fs.writeFileSync(
      input,
      Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + '@@BYTE@@'.length)]),
    );
    const output = path.join(dir, 'bad-out.jsonl');
    const s = await run({ input, output });
    expect(s).toMatchObject({ rows: 8, scored: 3, errors: 5 });
    const errs = errorsOf(output);
    expect(errs.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(errs[1].reason).toMatch(/empty/);
    expect(errs[2].reason).toMatch(/missing text column/);
    expect(errs[3].reason).toMatch(/UTF-8/);
  });

  it('skips malformed CSV records and invalid UTF-8 bytes in CSV', async () => {
    const input = path.join(dir, 'bad.csv');
    const body = Buffer.concat([
      Buffer.from('id,text\n1,good one\n2,a,b,c\n3,"ok, quoted"\n4,"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"\n5,\n6,last\n'),
    ]);
    fs.writeFileSync(input, body);
    const output = path.join(dir, 'bad-out.csv');
    const s = await run({ input, output });
    expect(s).toMatchObject({ scored: 3, errors: 3 });
    const errs = errorsOf(output);
    expect(errs.map((e) => e.line)).toEqual([3, 5, 6]);
    expect(errs[0].reason).toMatch(/malformed CSV/);
    const out = parse<Record<string, string>>(fs.readFileSync(output), { columns: true });
    expect(out.map((r) => r.id)).toEqual(['1', '3', '6']);
  });

  it('aborted mid-way then resumed: same output as one uninterrupted run, each row once', async () => {
    const rows = reviewRows(300);
    rows[40].text = '';
    for (const ext of ['csv', 'jsonl']) {
      const input = path.join(dir, `big.${ext === 'csv' ? 'csv' : 'ndjson'}`);
      fs.writeFileSync(input, ext === 'csv' ? toCsv(rows) : rows.map((r) => JSON.stringify(r)).join('\n'));
      const whole = path.join(dir, `whole.${ext}`);
      await run({ input, output: whole });
      const part = path.join(dir, `part.${ext}`);
      const ctl = new AbortController();
      const first = await run({
        input,
        output: part,
        signal: ctl.signal,
        onProgress: (p) => p.records >= 100 && ctl.abort(),
      });
      expect(first.aborted).toBe(true);
      expect(first.rows).toBeLessThan(300);
      const second = await run({ input, output: part, resume: true });
      expect(second.aborted).toBe(false);
      expect(second.skipped).toBe(first.rows);
      expect(first.rows + second.rows).toBe(300);
      expect(fs.readFileSync(part, 'utf8')).toBe(fs.readFileSync(whole, 'utf8'));
      expect(fs.readFileSync(`${part}.errors.jsonl`, 'utf8')).toBe(fs.readFileSync(`${whole}.errors.jsonl`, 'utf8'));
    }
  });

  it('cuts rows written after the last progress record (a crash between write and claim) and resumes', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'unclaimed.csv');
    await run({ input, output });
    const complete = fs.readFileSync(output, 'utf8');
    fs.appendFileSync(output, 'extra,row,1,0.1,low,0.1,0.1,\n');
    fs.appendFileSync(errorsPath(output), '{"line":999,"reason":"unclaimed"}\n');
    const summary = await run({ input, output, resume: true });
    expect(summary.rows).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toBe(complete);
    expect(fs.readFileSync(errorsPath(output), 'utf8')).not.toContain('unclaimed');
  });

  it('refuses to resume when the output is shorter than the progress file claims', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'tampered.csv');
    await run({ input, output });
    fs.truncateSync(output, fs.statSync(output).size - 5);
    await expect(run({ input, output, resume: true })).rejects.toThrow(
      /cannot resume, it holds \d+ bytes but the progress file records/,
    );
  });

  it('fails with a DataFileError naming the file when the input is unreadable', async () => {
    const out = path.join(dir, 'x.csv');
    const noText = path.join(dir, 'notext.csv');
    fs.writeFileSync(noText, 'id,body\n1,hello\n');
    const notGz = path.join(dir, 'plain.csv.gz');
    fs.writeFileSync(notGz, 'id,text\n1,hello\n');
    const odd = path.join(dir, 'data.xlsx');
    fs.writeFileSync(odd, 'x');
    for (const [input, msg] of [
      [path.join(dir, 'missing.csv'), /file not found/],
      [odd, /unknown file type/],
      [notGz, /not a valid gzip/],
      [noText, /no "text" column/],
    ] as const) {
      const err = await run({ input, output: out }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as DataFileError).file).toBe(input);
      expect((err as Error).message).toMatch(msg);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});
