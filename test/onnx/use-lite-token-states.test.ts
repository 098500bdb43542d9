// The token_states output: what the mean pooling reads, so that src/explain's TypeScript tail reproduces the logits from it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUseLiteModel, quantizeModel, TOKEN_STATES_OUTPUT } from '../../onnx';
import { OnnxSession } from '../../src/engine';
import { readUseLiteTail, type DriverTail } from '../../src/explain';
import { silentLogger } from '../../src/logging';
import { readUseLiteCheckpoint } from '../../training/encoders/use-lite/checkpoint';
import type { UseLiteParams } from '../../onnx/params/use-lite-params';
import { referenceReviewIds } from '../helpers/use-reference-tokens';
import { TEST_HEAD, TEST_HYBRID_HEAD } from './helpers/exported-model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-states-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Largest |tail(mean of states) − logit| over the rows, run as one padded batch. */
async function tailError(file: string, tail: DriverTail, rows: number[][]): Promise<number> {
  const session = await OnnxSession.create({ modelPath: file, providers: ['cpu'], threads: 1, logger: silentLogger() });
  try {
    expect(session.supportsTokenStates).toBe(true);
    const out = await session.run(
      rows.map((r) => Int32Array.from(r)),
      { tokenStates: true },
    );
    const ts = out.tokenStates!;
    expect(ts.dim).toBe(tail.dim);
    let worst = 0;
    rows.forEach((ids, b) => {
      const pooled = new Float32Array(ts.dim);
      for (let t = 0; t < ids.length; t++)
        for (let d = 0; d < ts.dim; d++) pooled[d] += ts.data[(b * ts.sequence + t) * ts.dim + d] / ids.length;
      worst = Math.max(worst, Math.abs(tail.logits(pooled, [ids])[0] - out.logits[b]));
    });
    // Plain scoring does not fetch them.
    expect((await session.run([Int32Array.from(rows[0])])).tokenStates).toBeUndefined();
    return worst;
  } finally {
    await session.dispose();
  }
}

describe('USE-lite token_states output', () => {
  let params: UseLiteParams;
  let rows: number[][];
  beforeAll(async () => {
    params = await readUseLiteCheckpoint();
    rows = [[43], [43, 780], ...(await referenceReviewIds(12))];
  });

  for (const [name, head] of [
    ['hybrid', TEST_HYBRID_HEAD],
    ['linear', TEST_HEAD],
  ] as const) {
    it(`lets the fp32 tail reproduce the ${name} head's logits, padding included`, async () => {
      const file = path.join(dir, `${name}.onnx`);
      fs.writeFileSync(file, buildUseLiteModel({ params, head }));
      const tail = await readUseLiteTail(file);
      if ('missing' in tail) throw new Error(tail.missing);
      expect(await tailError(file, tail, rows)).toBeLessThan(2e-4);
    });
  }

  it('survives int8 quantization, whose logits the fp32 tail still tracks closely', async () => {
    const bytes = buildUseLiteModel({ params, head: TEST_HYBRID_HEAD });
    const fp32 = path.join(dir, 'q-fp32.onnx');
    const int8 = path.join(dir, 'q-int8.onnx');
    fs.writeFileSync(fp32, bytes);
    fs.writeFileSync(int8, quantizeModel(bytes).bytes);
    const tail = await readUseLiteTail(fp32);
    if ('missing' in tail) throw new Error(tail.missing);
    const err = await tailError(int8, tail, rows);
    console.log(`int8 logit vs fp32 tail on int8 token states: max |Δ| ${err.toFixed(5)}`);
    expect(err).toBeLessThan(0.05);
  });

  it('can be left out, and then the tail reader says there is nothing to decompose with', async () => {
    const file = path.join(dir, 'no-states.onnx');
    fs.writeFileSync(file, buildUseLiteModel({ params, head: TEST_HEAD, tokenStates: false }));
    const session = await OnnxSession.create({
      modelPath: file,
      providers: ['cpu'],
      threads: 1,
      logger: silentLogger(),
    });
    expect(session.supportsTokenStates).toBe(false);
    expect((await session.run([Int32Array.of(43)], { tokenStates: true })).tokenStates).toBeUndefined();
    await session.dispose();
    expect(TOKEN_STATES_OUTPUT).toBe('token_states');
  });
});
