import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewRows, tempDir, toCsv } from '../jobs/fake-scoring';
import { call, startTestApp, type TestApp } from './test-app';

let app: TestApp;
const dir = tempDir();
beforeAll(async () => {
  app = await startTestApp({ maxUploadBytes: 20_000, jobInputDirs: [dir] });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function upload(
  body: string | Uint8Array,
  contentType: string,
  query = '',
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${app.base}/v1/jobs${query}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function finished(id: string): Promise<any> {
  for (let i = 0; i < 500; i++) {
    const { json } = await call(app.base, 'GET', `/v1/jobs/${id}`);
    if (!['queued', 'running'].includes(json.state)) return json;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

const stagingLeftovers = () => {
  const staging = path.join(app.jobsDir, '.staging');
  return fs.existsSync(staging) ? fs.readdirSync(staging) : [];
};

describe('POST /v1/jobs with a CSV body', () => {
  it('scores every row, streams the results and reports bad rows by line', async () => {
    const rows = reviewRows(120);
    const csv = `${toCsv(rows)}r121,,3\nr122,bro"ken quote,1\nr123,ok text again,2\n`;
    const created = await upload(csv, 'text/csv', '?idCol=id');
    expect(created.status).toBe(202);
    const status = await finished(created.json.id);
    expect(status).toMatchObject({
      state: 'succeeded',
      rowsDone: 123,
      rowsTotal: 123,
      scored: 121,
      errors: 2,
      input: { format: 'csv', textCol: 'text' },
    });

    const res = await fetch(`${app.base}/v1/jobs/${created.json.id}/results`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const out = parse<Record<string, string>>(await res.text(), { columns: true });
    expect(out.map((r) => r.id)).toEqual([...rows.map((r) => r.id), 'r123']);
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
    // The fake model finds "cancel" risky: those rows must score above the others.
    const riskOf = (i: number) => Number(out[i].risk);
    expect(riskOf(0)).toBeGreaterThan(riskOf(1));

    const errors = (await (await fetch(`${app.base}/v1/jobs/${created.json.id}/errors`)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(errors).toEqual([
      { line: 122, reason: 'empty text in column "text"' },
      { line: 123, reason: expect.stringMatching(/malformed CSV: Invalid Opening Quote/) },
    ]);
  });

  it('lists jobs newest first', async () => {
    const a = await upload(toCsv(reviewRows(3)), 'text/csv');
    await finished(a.json.id);
    const { json } = await call(app.base, 'GET', '/v1/jobs?limit=2');
    expect(json.jobs[0].id).toBe(a.json.id);
    expect(json.jobs).toHaveLength(2);
  });
});

describe('POST /v1/jobs with other inputs', () => {
  it('takes a gzipped JSON Lines file as multipart and writes JSON Lines results', async () => {
    const lines = reviewRows(40)
      .map((r) => JSON.stringify({ ...r, stars: Number(r.stars) }))
      .join('\n');
    const form = new FormData();
    form.append('textCol', 'text');
    form.append('file', new Blob([gzipSync(`${lines}\n{"id":"bad","stars":2}\n`)]), 'dump.jsonl.gz');
    const res = await fetch(`${app.base}/v1/jobs`, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const status = await finished(id);
    expect(status).toMatchObject({
      state: 'succeeded',
      rowsDone: 41,
      scored: 40,
      errors: 1,
      input: { format: 'jsonl', filename: 'dump.jsonl.gz' },
    });
    const results = (await (await fetch(`${app.base}/v1/jobs/${id}/results`)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results).toHaveLength(40);
    expect(results[0]).toMatchObject({ id: 'r1', stars: 1, band: expect.any(String), risk: expect.any(Number) });
  });

  it('reads an allowed server-side file, and refuses paths outside the allowed folders', async () => {
    const file = path.join(dir, 'server.csv');
    fs.writeFileSync(file, toCsv(reviewRows(10)));
    const ok = await call(app.base, 'POST', '/v1/jobs', { path: file });
    expect(ok.status).toBe(202);
    expect(await finished(ok.json.id)).toMatchObject({ state: 'succeeded', scored: 10 });
    const wrongType = path.join(dir, 'server.txt');
    fs.writeFileSync(wrongType, 'text\nhello\n');
    const typed = await call(app.base, 'POST', '/v1/jobs', { path: wrongType });
    expect(typed.status).toBe(400);
    expect(typed.json.error).toMatchObject({
      field: 'path',
      message: expect.stringMatching(/must end in \.csv, \.jsonl or \.ndjson/),
    });
    for (const p of ['/etc/passwd', path.join(dir, '../outside.csv'), path.join(dir, 'missing.csv')]) {
      const bad = await call(app.base, 'POST', '/v1/jobs', { path: p });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toMatchObject({ field: 'path', message: expect.stringContaining(dir) });
    }
  });

  it('fails a job whose file is wholly unreadable, with the reason', async () => {
    const created = await upload('id,body\n1,hello\n', 'text/csv');
    const status = await finished(created.json.id);
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/no "text" column in the CSV header \(columns: id, body\)/);
  });

  it('stores the scored texts with embeddings when asked, under ids that name the job and line', async () => {
    const created = await upload(toCsv(reviewRows(5)), 'text/csv', '?storeTexts=true&source=ticket');
    await finished(created.json.id);
    const text = await app.store.texts.get(`job-${created.json.id}-2`);
    expect(text).toMatchObject({ source: 'ticket', text: reviewRows(1)[0].text });
  });
});

describe('POST /v1/jobs refusals', () => {
  it('answers 413 for an upload over the limit, declared or streamed, and keeps nothing', async () => {
    const big = toCsv(reviewRows(1000));
    expect(big.length).toBeGreaterThan(20_000);
    const declared = await upload(big, 'text/csv');
    expect(declared.status).toBe(413);
    expect(declared.json.error.code).toBe('payload_too_large');
    // A streamed body has no Content-Length: the limit is enforced while it arrives.
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const streamed = await fetch(`${app.base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: stream,
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(stagingLeftovers()).toEqual([]);
  });

  it('names the accepted types for an unknown content-type, and the valid options for an unknown one', async () => {
    const wrong = await upload('a,b\n', 'text/plain');
    expect(wrong.status).toBe(415);
    expect(wrong.json.error.message).toMatch(/text\/csv.*multipart\/form-data/);
    const option = await upload(toCsv(reviewRows(2)), 'text/csv', '?txtCol=text');
    expect(option.status).toBe(400);
    expect(option.json.error.message).toMatch(/txtCol/);
    const noFormat = await upload('x', 'application/octet-stream');
    expect(noFormat.status).toBe(400);
    expect(noFormat.json.error.field).toBe('format');
    expect(stagingLeftovers()).toEqual([]);
  });

  it('refuses server-side paths when no folder is allowed', async () => {
    const other = await startTestApp();
    try {
      const res = await call(other.base, 'POST', '/v1/jobs', { path: '/etc/hosts' });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/server-side input paths are disabled/);
    } finally {
      await other.close();
    }
  });
});

describe('job lookups and cancellation', () => {
  it('404s unknown jobs and 409s cancelling a finished one', async () => {
    expect((await call(app.base, 'GET', '/v1/jobs/nope')).status).toBe(404);
    expect((await call(app.base, 'GET', '/v1/jobs/nope/results')).status).toBe(404);
    expect((await call(app.base, 'DELETE', '/v1/jobs/nope')).status).toBe(404);
    const created = await upload(toCsv(reviewRows(2)), 'text/csv');
    await finished(created.json.id);
    const again = await call(app.base, 'DELETE', `/v1/jobs/${created.json.id}`);
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already succeeded/);
  });
});
