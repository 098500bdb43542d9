// The int8 rewrite runs on ORT's fused int8 kernels: every weight product becomes DynamicQuantizeMatMul (or
// MatMulIntegerToFloat), nothing of the unfused pattern is left, and attention's activation products stay fp32.
import { describe, expect, it } from 'vitest';
import { buildBertModel } from '../../../onnx/exporters/bert';
import { quantizeModel } from '../../../onnx/quantize';
import { testHead, tinyBert } from '../../training/bert/helpers/tiny-bert';
import { exportTestModel, TEST_HYBRID_HEAD } from '../helpers/exported-model';
import { optimizedOpCounts, sourceProducts, type OpCounts } from '../helpers/optimized-graph';

const n = (c: OpCounts, key: string) => c[key] ?? 0;
const MS = 'com.microsoft';

async function expectFused(fp32: Uint8Array): Promise<OpCounts> {
  const source = sourceProducts(fp32);
  const q = quantizeModel(fp32);
  expect(q.quantized).toHaveLength(source.weight);
  expect(q.kept).toEqual([]);
  const ran = await optimizedOpCounts(q.bytes);
  console.info(`[quantize-fusion] source ${JSON.stringify(source)}, optimised int8 graph ${JSON.stringify(ran)}`);
  expect(n(ran, `${MS}:DynamicQuantizeMatMul`) + n(ran, `${MS}:MatMulIntegerToFloat`)).toBe(source.weight);
  for (const unfused of [':MatMulInteger', ':DynamicQuantizeLinear']) expect(n(ran, unfused), unfused).toBe(0);
  // Whatever fp32 products remain (plain, or fused with a transpose or scale) are exactly the activation ones.
  expect(n(ran, ':MatMul') + n(ran, `${MS}:FusedMatMul`) + n(ran, ':Gemm')).toBe(source.activation);
  return ran;
}

describe('int8 quantization fuses into ORT int8 kernels', () => {
  it('USE-lite + hybrid head: every weight MatMul (encoder and head) runs as DynamicQuantizeMatMul', async () => {
    const { bytes } = await exportTestModel(TEST_HYBRID_HEAD);
    const ran = await expectFused(bytes);
    // Each product has its own DynamicQuantizeLinear feeding only it, so the whole chain fuses, not just the tail.
    expect(n(ran, `${MS}:MatMulIntegerToFloat`)).toBe(0);
    expect(sourceProducts(bytes).weight).toBeGreaterThanOrEqual(10);
  });

  it('BERT family: the same rewrite fuses the same way', async () => {
    const params = tinyBert();
    const bytes = buildBertModel({ params, head: testHead(params.arch.hiddenSize, params.arch.vocabSize) });
    await expectFused(bytes);
  });

  it('DistilBERT (relu, no token types) too', async () => {
    const params = tinyBert({ modelType: 'distilbert', typeVocabSize: 0, activation: 'relu' }, 9);
    await expectFused(buildBertModel({ params, head: testHead(params.arch.hiddenSize, params.arch.vocabSize) }));
  });
});
