import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors';
import { readLabelledTexts } from '../../src/ingest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
const csv = (body: string) => `review,score,source\n${body}\n`;
const good = csv(rows(30, (i) => `"text number ${i}, with a comma",${i % 3 ? 'great' : 'other'},review`));

describe('readLabelledTexts', () => {
  it('reads CSV with quoted commas and maps the positive label', async () => {
    const d = await readLabelledTexts({
      file: file('a.csv', good),
      textCol: 'review',
      labelCol: 'score',
      positive: ['other'],
    });
    expect(d.rows).toHaveLength(30);
    expect(d.rows[0]).toMatchObject({ text: 'text number 0, with a comma', label: 1, source: 'review', line: 2 });
    expect(d.positives).toBe(10);
    expect(d.labelValues).toEqual({ positive: ['other'], negative: ['great'] });
  });

  it('reads gzipped JSONL and chats given as arrays of turns', async () => {
    const lines = rows(25, (i) =>
      JSON.stringify({
        text:
          i === 0
            ? [
                { role: 'agent', text: 'How can I help?' },
                { role: 'customer', text: 'Cancel my plan.' },
              ]
            : `ticket ${i}`,
        label: i % 2,
        source: i === 0 ? 'chat' : 'ticket',
        customer_id: `c${i}`,
      }),
    );
    const d = await readLabelledTexts({ file: file('b.jsonl.gz', zlib.gzipSync(lines)), positive: ['1'] });
    expect(d.rows[0]).toMatchObject({ text: 'Cancel my plan.', source: 'chat', customerId: 'c0' });
    expect(d.rows).toHaveLength(25);
  });

  it('skips and counts rows with empty text', async () => {
    const d = await readLabelledTexts({
      file: file('c.csv', `${good}"  ",great,review\n,other,review\n`),
      textCol: 'review',
      labelCol: 'score',
      positive: ['other'],
    });
    expect(d.skippedEmpty).toBe(2);
  });

  const failures: [string, string, Record<string, unknown>, RegExp][] = [
    ['missing column', good, { textCol: 'body' }, /missing column "body"; columns found: review, score, source/],
    [
      'unknown positive',
      good,
      { positive: ['bad'] },
      /positive label "bad" not found.*values seen: other, great|great, other/,
    ],
    [
      'unknown label value',
      csv(rows(30, (i) => `t${i},${['great', 'other', 'meh'][i % 3]},review`)),
      {},
      /3 non-positive|non-positive values \(great, meh\)|meh/,
    ],
    ['single class', csv(rows(30, (i) => `t${i},other,review`)), {}, /one class/],
    [
      'too few rows',
      csv(rows(10, (i) => `t${i},${i % 2 ? 'great' : 'other'},review`)),
      {},
      /only 10 labelled rows.*at least 20/,
    ],
    [
      'bad source',
      csv(rows(30, (i) => `t${i},${i % 2 ? 'great' : 'other'},${i === 5 ? 'email' : 'review'}`)),
      {},
      /line 7: column "source" is "email"; valid values: feedback, review, chat, ticket/,
    ],
    ['broken quoting', `review,score\n"unterminated,other\n`, {}, /line 2: malformed CSV/],
  ];
  it.each(failures)('refuses a file with %s, naming the problem', async (_name, content, extra, message) => {
    const p = file(`bad-${Math.random()}.csv`, content);
    const err = await readLabelledTexts({
      file: p,
      textCol: 'review',
      labelCol: 'score',
      positive: ['other'],
      ...extra,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toContain(p);
    expect((err as Error).message).toMatch(message);
  });

  it('names the line of invalid JSON', async () => {
    const p = file('bad.jsonl', '{"text":"a","label":1}\n{oops\n');
    await expect(readLabelledTexts({ file: p, positive: ['1'] })).rejects.toThrow(/line 2: not valid JSON/);
  });

  it('refuses unknown file types and missing files', async () => {
    await expect(readLabelledTexts({ file: file('x.xlsx', 'x'), positive: ['1'] })).rejects.toThrow(
      /unknown file type/,
    );
    await expect(readLabelledTexts({ file: path.join(dir, 'nope.csv'), positive: ['1'] })).rejects.toThrow(
      /file not found/,
    );
  });
});
