// Dynamic batch/sequence axes of the exported graph: any batch size and length work, and padding never changes a row's outputs.
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, exportTestModel, maxAbsDiff, runOrt, type OrtResult } from './helpers/exported-model';
import { reviewTexts as readReviews } from '../helpers/reviews';
import { referenceTokenizer } from '../helpers/use-reference-tokens';

const TOL = 1e-5;

function worstRowDiff(a: OrtResult, b: OrtResult): number {
  return Math.max(
    ...a.embedding.map((e, i) => maxAbsDiff(e, b.embedding[i])),
    maxAbsDiff(a.logits, b.logits),
    maxAbsDiff(a.probability, b.probability),
  );
}

describe('USE-lite ONNX export: dynamic axes and padding', () => {
  let session: ort.InferenceSession;
  let seven: number[][];
  let singles: OrtResult[];

  beforeAll(async () => {
    const tokenize = referenceTokenizer();
    const all = (await readReviews(200)).map((r) => tokenize(r, 128));
    // Seven rows of clearly different lengths, from a single token to the 128 cap.
    const byLength = [...all].sort((a, b) => a.length - b.length);
    seven = [
      [43],
      ...[8, 20, 40, 70, 100, 128].map((n) => byLength.find((r) => r.length >= n) ?? byLength[byLength.length - 1]),
    ];
    session = await createSession((await exportTestModel()).bytes);
    singles = [];
    for (const row of seven) singles.push(await runOrt(session, [row]));
  });
  afterAll(async () => {
    await session?.release();
  });

  it('runs batch 1 at each row’s own length', () => {
    expect(new Set(seven.map((r) => r.length)).size).toBe(7);
    for (const s of singles) expect(s.dims).toEqual({ embedding: [1, 512], logits: [1], probability: [1] });
  });

  it('runs batch 7 padded to the longest row with the same outputs as batch 1', async () => {
    const batch = await runOrt(session, seven);
    expect(batch.dims).toEqual({ embedding: [7, 512], logits: [7], probability: [7] });
    const joined: OrtResult = {
      embedding: singles.flatMap((s) => s.embedding),
      logits: singles.flatMap((s) => s.logits),
      probability: singles.flatMap((s) => s.probability),
      dims: batch.dims,
    };
    const diff = worstRowDiff(batch, joined);
    console.info(`[dynamic] batch 7 vs 7 × batch 1: max diff ${diff.toExponential(3)}`);
    expect(diff).toBeLessThanOrEqual(TOL);
  });

  it('ignores extra padding columns and the pad id', async () => {
    const base = await runOrt(session, seven);
    const wide = await runOrt(session, seven, { padTo: 160 }); // beyond the original graph's 128 cap
    const otherPad = await runOrt(session, seven, { padId: 8001, padTo: 133 });
    const diff = Math.max(worstRowDiff(base, wide), worstRowDiff(base, otherPad));
    console.info(`[dynamic] extra padding / other pad id: max diff ${diff.toExponential(3)}`);
    expect(diff).toBeLessThanOrEqual(TOL);
  });

  it('handles an empty batch and zero-length rows (embedding of no tokens, as in the original)', async () => {
    const run = (b: number, t: number, maskValue: bigint) =>
      session.run({
        input_ids: new ort.Tensor('int64', new BigInt64Array(b * t), [b, t]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(b * t).fill(maskValue), [b, t]),
      });
    expect((await run(0, 5, 1n)).embedding.dims).toEqual([0, 512]);
    const empty = await run(2, 0, 1n);
    const allPad = await run(1, 3, 0n);
    expect(empty.embedding.dims).toEqual([2, 512]);
    const e = empty.embedding.data as Float32Array;
    expect(maxAbsDiff(e.subarray(0, 512), allPad.embedding.data as Float32Array)).toBeLessThanOrEqual(TOL);
  });

  it('rejects a token id outside the vocabulary instead of reading garbage', async () => {
    await expect(runOrt(session, [[8002]])).rejects.toThrow();
  });
});
