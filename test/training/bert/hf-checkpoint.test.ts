// Reading Hugging Face BERT-family folders: safetensors in fp32/fp16/bf16, prefixes, ONNX initializers, DistilBERT, and every refusal.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, DataType } from '../../../onnx';
import { ModelLoadError } from '../../../src/errors';
import type { BertParams } from '../../../training/encoders/bert';
import {
  bertParamsToTensors,
  bfloat16ToFloat,
  encodeSafetensors,
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
  parseSafetensors,
  readHfCheckpoint,
} from '../../../training/encoders/hf-checkpoint';
import { tinyBert, tmpDir, writeTinyCheckpoint } from './helpers/tiny-bert';

const root = tmpDir('hf-ckpt-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => path.join(root, name);

const allArrays = (p: BertParams) => [...bertParamsToTensors(p).entries()];
const sameBytes = (a: Float32Array, b: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('half floats', () => {
  it('widens fp16 and bf16 bit patterns exactly', () => {
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00].map(halfToFloat)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      2 ** -14,
      Infinity,
      -Infinity,
    ]);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
    expect([0x3f80, 0xc040, 0x0000, 0x8000].map(bfloat16ToFloat)).toEqual([1, -3, 0, -0]);
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToBfloat16(1.00390625)).toBe(0x3f80);
  });
});

describe('readHfCheckpoint', () => {
  const params = tinyBert({}, 5, 0.02);

  it('reads fp32 safetensors back bit for bit (Linear weights transposed to [in, out])', async () => {
    writeTinyCheckpoint(dir('f32'), params);
    const ckpt = await readHfCheckpoint({ dir: dir('f32') });
    expect(ckpt.params.arch).toEqual({ ...params.arch });
    expect(ckpt.params.layers[1].ffn1Kernel.shape).toEqual([32, 64]);
    for (const [name, t] of allArrays(ckpt.params))
      expect(sameBytes(t.data, bertParamsToTensors(params).get(name)!.data), name).toBe(true);
    expect(ckpt.tokenizerJson.post_processor).toBeNull();
  });

  it('reads fp16 and bf16 within their precision, and a "bert." prefix', async () => {
    writeTinyCheckpoint(dir('f16'), params, { dtype: 'F16', prefix: 'bert.' });
    writeTinyCheckpoint(dir('bf16'), params, { dtype: 'BF16' });
    for (const [name, rel] of [
      ['f16', 2 ** -11],
      ['bf16', 2 ** -8],
    ] as const) {
      const read = await readHfCheckpoint({ dir: dir(name) });
      const a = read.params.layers[0].queryKernel.data;
      const b = params.layers[0].queryKernel.data;
      let worst = 0;
      for (let i = 0; i < a.length; i++)
        worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 2 ** -14));
      expect(worst, name).toBeLessThanOrEqual(rel);
      expect(worst, name).toBeGreaterThan(0);
    }
  });

  it('reads DistilBERT (no token types, its own layer names)', async () => {
    const distil = tinyBert({ modelType: 'distilbert', typeVocabSize: 0 }, 6);
    writeTinyCheckpoint(dir('distil'), distil, { prefix: 'distilbert.' });
    const config = JSON.parse(fs.readFileSync(path.join(dir('distil'), 'config.json'), 'utf8'));
    expect(config.n_layers).toBe(2);
    const read = await readHfCheckpoint({ dir: dir('distil') });
    expect(read.params.tokenTypeEmbeddings).toBeUndefined();
    expect(sameBytes(read.params.layers[1].outLnScale.data, distil.layers[1].outLnScale.data)).toBe(true);
  });

  it('reads onnx/model.onnx initializers, recovering exporter-renamed MatMul weights', async () => {
    const d = dir('onnx');
    writeTinyCheckpoint(d, params);
    fs.rmSync(path.join(d, 'model.safetensors'));
    // Like torch.onnx/optimum: Linear weights as anonymous [in, out] MatMul initializers, biases and the rest by module name.
    const g = new GraphBuilder('exported');
    const x = g.input('x', DataType.FLOAT, ['n', 32]);
    let last = x;
    let n = 0;
    for (const [name, t] of bertParamsToTensors(params)) {
      const linear = /\.(query|key|value|dense)\.weight$/.test(name);
      if (!linear) {
        if (!/\.(query|key|value|dense)\.bias$/.test(name)) g.initializer(name, t.data, t.shape);
        continue;
      }
      const [out, inp] = t.shape;
      const w = new Float32Array(inp * out);
      for (let r = 0; r < out; r++) for (let c = 0; c < inp; c++) w[c * out + r] = t.data[r * inp + c];
      const bias = bertParamsToTensors(params).get(name.replace(/weight$/, 'bias'))!;
      const mm = g.op('MatMul', [last, g.initializer(`onnx::MatMul_${n++}`, w, [inp, out])]);
      last = g.op('Add', [g.initializer(name.replace(/weight$/, 'bias'), bias.data, bias.shape), mm]);
    }
    g.output(last, DataType.FLOAT, ['n', 'm']);
    fs.mkdirSync(path.join(d, 'onnx'));
    fs.writeFileSync(path.join(d, 'onnx', 'model.onnx'), g.encode());
    const read = await readHfCheckpoint({ dir: d });
    expect(read.weightsFile).toMatch(/onnx\/model\.onnx$/);
    for (const [name, t] of allArrays(read.params))
      expect(sameBytes(t.data, bertParamsToTensors(params).get(name)!.data), name).toBe(true);
  });

  it('refuses what it cannot run, naming the file and what is wrong', async () => {
    const refuse = async (name: string, change: (d: string) => void, message: RegExp) => {
      const d = dir(name);
      writeTinyCheckpoint(d, params);
      change(d);
      const err = await readHfCheckpoint({ dir: d }).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(ModelLoadError);
      expect((err as Error).message, name).toMatch(message);
    };
    const patchConfig = (d: string, patch: Record<string, unknown>) => {
      const file = path.join(d, 'config.json');
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...patch }));
    };
    await refuse(
      'roberta',
      (d) => patchConfig(d, { model_type: 'roberta' }),
      /model_type "roberta".*supported: bert, distilbert/,
    );
    await refuse('act', (d) => patchConfig(d, { hidden_act: 'swish' }), /hidden_act "swish".*gelu, relu/);
    await refuse('no-tokenizer', (d) => fs.rmSync(path.join(d, 'tokenizer.json')), /lacks tokenizer\.json/);
    await refuse('no-config', (d) => fs.rmSync(path.join(d, 'config.json')), /lacks config\.json/);
    await refuse(
      'pickle',
      (d) => fs.renameSync(path.join(d, 'model.safetensors'), path.join(d, 'pytorch_model.bin')),
      /no weights.*pytorch_model\.bin is not read/,
    );
    await refuse(
      'shape',
      (d) => patchConfig(d, { intermediate_size: 48 }),
      /intermediate\.dense\.weight has shape \[64, 32\], config\.json implies \[48, 32\]/,
    );
    await refuse('layers', (d) => patchConfig(d, { num_hidden_layers: 3 }), /encoder\.layer\.2\..* is missing/);
    await refuse('heads', (d) => patchConfig(d, { num_attention_heads: 5 }), /does not split into 5 heads/);
    await refuse(
      'truncated',
      (d) => {
        const f = path.join(d, 'model.safetensors');
        fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 5000));
      },
      /not a valid safetensors file/,
    );
    const small = tinyBert({ vocabSize: 1000 }, 7, 0.02);
    await expect(readHfCheckpoint({ dir: writeTinyCheckpoint(dir('vocab'), small) })).rejects.toThrow(
      /ids up to 30521, but the embedding table has 1000 rows/,
    );
    await expect(readHfCheckpoint({ dir: dir('nowhere') })).rejects.toThrow(/does not exist/);
    await expect(readHfCheckpoint({ dir: dir('f32'), pooling: 'pooler' })).resolves.toBeTruthy();
  });

  it('lists non-float tensors (e.g. int64 position_ids) without decoding them', () => {
    const header = JSON.stringify({ 'embeddings.position_ids': { dtype: 'I64', shape: [1], data_offsets: [0, 8] } });
    const raw = new Uint8Array(8 + header.length + 8);
    new DataView(raw.buffer).setBigUint64(0, BigInt(header.length), true);
    raw.set(Buffer.from(header), 8);
    const parsed = parseSafetensors(raw);
    expect(parsed.size).toBe(0);
    expect(parsed.others?.get('embeddings.position_ids')).toBe('I64');
    const f32 = parseSafetensors(
      encodeSafetensors(new Map([['w', { shape: [2], data: Float32Array.from([1.5, -2]) }]])),
    );
    expect([...f32.get('w')!.data]).toEqual([1.5, -2]);
  });
});
