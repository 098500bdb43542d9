// Real review texts from the fixture CSV and their ids from Google's reference USE tokenizer (the ids the original graph was trained on).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js';
import { defaultUseLiteDir } from '../../../training/encoders/use-lite/checkpoint';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** RFC-4180 rows (quoted fields, "" escapes, newlines inside quotes); enough for the fixture, no dependency. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

export async function readReviews(limit: number): Promise<string[]> {
  const rows = parseCsv(await readFile(join(REPO, 'fixtures/data/fine_foods_train.csv'), 'utf8'));
  const col = rows[0].indexOf('review');
  return rows.slice(1, limit + 1).map((r) => r[col]);
}

export async function referenceTokenizer(): Promise<(text: string, maxLength?: number) => number[]> {
  const vocab = JSON.parse(await readFile(join(defaultUseLiteDir(), 'vocab.json'), 'utf8')) as [string, number][];
  const tokenizer = new Tokenizer(vocab);
  return (text, maxLength = 128) => tokenizer.encode(text).slice(0, maxLength);
}

/** Right-padded int64 batch as the exported graph takes it. */
export function padBatch(ids: number[][], padId = 0): { inputIds: BigInt64Array; mask: BigInt64Array; dims: [number, number] } {
  const seq = Math.max(1, ...ids.map((r) => r.length));
  const inputIds = new BigInt64Array(ids.length * seq).fill(BigInt(padId));
  const mask = new BigInt64Array(ids.length * seq);
  ids.forEach((row, b) =>
    row.forEach((id, t) => {
      inputIds[b * seq + t] = BigInt(id);
      mask[b * seq + t] = 1n;
    }),
  );
  return { inputIds, mask, dims: [ids.length, seq] };
}
