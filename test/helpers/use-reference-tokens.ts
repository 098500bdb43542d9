// Token ids for USE-lite tests from the reference SentencePiece tokenizer of @tensorflow-models/universal-sentence-encoder.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Tokenizer } from '@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js';
import { defaultUseLiteDir } from '../../training/encoders/use-lite/checkpoint';
import { loadReviews } from './reviews';

/** The original graph drops positions >= 128; parity is measured on ids truncated to that. */
export const USE_MAX_TOKENS = 128;

/** The reference tokenizer, built from the package's vocab.json as the package builds it; ids truncated to maxLength. */
export function referenceTokenizer(): (text: string, maxLength?: number) => number[] {
  const vocab = JSON.parse(readFileSync(path.join(defaultUseLiteDir(), 'vocab.json'), 'utf8')) as [string, number][];
  const tokenizer = new Tokenizer(vocab);
  return (text, maxLength = USE_MAX_TOKENS) => tokenizer.encode(text).slice(0, maxLength);
}

/** Ids of the first `count` fixture reviews, truncated to 128. */
export async function referenceReviewIds(count: number): Promise<number[][]> {
  const encode = referenceTokenizer();
  return (await loadReviews()).slice(0, count).map((r) => encode(r.review));
}

/** Left-aligned int32 [B, T] ids and mask; padded slots hold `padId`. */
export function padBatch(rows: number[][], padId = 0, length = Math.max(...rows.map((r) => r.length))) {
  const ids = rows.map((r) => [...r, ...Array<number>(length - r.length).fill(padId)]);
  const mask = rows.map((r) => [...r.map(() => 1), ...Array<number>(length - r.length).fill(0)]);
  return {
    ids: tf.tensor2d(ids, [rows.length, length], 'int32'),
    mask: tf.tensor2d(mask, [rows.length, length], 'int32'),
  };
}
