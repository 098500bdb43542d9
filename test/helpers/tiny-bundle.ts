// Writes a servable bundle around the bag-of-embeddings model and the real default tokenizer: the whole serving path at a fraction of the cost.
import fs from 'node:fs';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { buildBagOfEmbeddingsModel, writeHfBundle } from '../../onnx';
import { BUNDLE_FILES, writeValidationSet } from '../../src/bundle';
import { TextTokenizer } from '../../src/tokenize';

export const DEFAULT_BUNDLE = path.resolve(import.meta.dirname, '../../models/default');

/** Words whose pieces pull the tiny model's risk up, so scores spread over the bands instead of sitting at 0.5. */
const RISKY_PIECES = ['▁cancel', '▁refund', '▁never', '▁worst', '▁disappointed', '▁stale', '▁bad', '▁not'];

export async function writeTinyBundle(
  outDir: string,
  opts: {
    dim?: number;
    seed?: string;
    version?: string;
    /**
     * Also write onnx/model_quantized.onnx: the same model with this head bias instead of -1, so a test can tell
     * which file ran (a stand-in for the int8 file until the quantizer writes real ones).
     */
    quantizedBias?: number;
    /** Also write validation-set.json from these labelled texts (what `churnscope quantize` gates on). */
    validation?: { text: string; label: 0 | 1 }[];
  } = {},
): Promise<string> {
  const tokenizerJson = JSON.parse(fs.readFileSync(path.join(DEFAULT_BUNDLE, 'tokenizer.json'), 'utf8')) as {
    model: { vocab: [string, number][] };
  };
  const vocab = tokenizerJson.model.vocab;
  const dim = opts.dim ?? 32;
  const rng = seedrandom(opts.seed ?? 'tiny-bundle');
  const table = Float32Array.from({ length: vocab.length * dim }, () => rng() - 0.5);
  const weight = Float32Array.from({ length: dim }, (_, i) => (i === 0 ? 6 : rng() - 0.5));
  // Risky pieces share a strong first component, which the head weighs heavily.
  for (const [i, [piece]] of vocab.entries()) if (RISKY_PIECES.includes(piece)) table[i * dim] = 4;
  const modelBytes = buildBagOfEmbeddingsModel({ table, vocabSize: vocab.length, dim, weight, bias: -1 });
  const churnscope = {
    version: opts.version ?? 'tiny-bag-of-embeddings',
    encoder: 'bag-of-embeddings',
    maxTokens: 256,
    createdAt: '2026-01-01T00:00:00.000Z',
    calibration: { method: 'none' },
    bands: { medium: 0.3, high: 0.6, critical: 0.85 },
  };
  await writeHfBundle({
    outDir,
    modelBytes,
    tokenizerJson,
    config: { model_type: 'bag-of-embeddings', churnscope },
    overwrite: true,
  });
  if (opts.quantizedBias !== undefined) {
    const int8StandIn = buildBagOfEmbeddingsModel({
      table,
      vocabSize: vocab.length,
      dim,
      weight,
      bias: opts.quantizedBias,
    });
    fs.writeFileSync(path.join(outDir, BUNDLE_FILES.quantizedModel), int8StandIn);
  }
  if (opts.validation) {
    const tokenizer = await TextTokenizer.create({ tokenizerJson, maxLength: 256 });
    const ids = (await tokenizer.encodeBatch(opts.validation.map((v) => v.text))).map((t) => t.ids);
    tokenizer.dispose();
    writeValidationSet(outDir, {
      ids,
      labels: opts.validation.map((v) => v.label),
      sources: opts.validation.map(() => 'review'),
    });
  }
  return outDir;
}
