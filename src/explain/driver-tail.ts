// The model's tail after pooling, recomputed in TypeScript: USE-lite's dense → tanh → L2 → head, read from the fp32 file.
// Direct modules, not the onnx/ index: serving needs the reader and the names, not the exporters and bundle writers.
import { LINEAR_HEAD_INITIALIZERS } from '../../onnx/exporters/use-lite';
import { USE_LITE_TAIL_INITIALIZERS } from '../../onnx/exporters/use-lite-encoder';
import { HYBRID_HEAD_INITIALIZERS } from '../../onnx/heads/hybrid-head';
import { readOnnxInitializers, type InitializerMap } from '../../onnx/initializers/read-initializers';
import { ModelLoadError } from '../errors';

/** logit of one window from its pooled (mean) token state and its token ids, exactly as the graph computes it. */
export interface DriverTail {
  /** Width of a token state (the pooled vector). */
  readonly dim: number;
  logit(pooled: Float32Array, ids: ArrayLike<number>): number;
}

interface HeadBags {
  unigram?: Float32Array;
  bigram?: Float32Array;
  vocabSize: number;
}

/**
 * The tail of a bundle's fp32 onnx/model.onnx, from the initializer names the USE-lite exporter writes; undefined
 * (with the reason) when the file is not such a graph, e.g. a BERT bundle, whose drivers then stay on occlusion.
 * The int8 file's weights are quantized, so the fp32 file is the reference the self-check tolerance is set against.
 */
export async function readUseLiteTail(modelFile: string): Promise<DriverTail | { missing: string }> {
  const inits = await readOnnxInitializers(modelFile);
  const need = (name: string) => inits.get(name);
  const kernel = need(USE_LITE_TAIL_INITIALIZERS.tanhKernel);
  const bias = need(USE_LITE_TAIL_INITIALIZERS.tanhBias);
  const table = need(USE_LITE_TAIL_INITIALIZERS.tokenEmbedding);
  if (!kernel || !bias || !table) return { missing: 'no USE-lite tanh layer or token table' };
  const [dim, out] = kernel.shape;
  if (kernel.shape.length !== 2 || bias.data.length !== out) {
    throw new ModelLoadError(`${modelFile}: tanh_layer has shape [${kernel.shape.join(', ')}]`, { file: modelFile });
  }
  const head = readHead(inits, out, table.shape[0]);
  if ('missing' in head) return head;
  return new UseLiteTail(dim, out, kernel.data, bias.data, head.weight, head.bias, head.bags);
}

function readHead(
  inits: InitializerMap,
  out: number,
  vocabSize: number,
): { weight: Float32Array; bias: number; bags: HeadBags } | { missing: string } {
  const H = HYBRID_HEAD_INITIALIZERS;
  const L = LINEAR_HEAD_INITIALIZERS;
  const hybrid = inits.get(H.embeddingWeight);
  const weight = hybrid ?? inits.get(L.weight);
  const bias = inits.get(hybrid ? H.bias : L.bias);
  if (!weight || !bias || weight.data.length !== out || bias.data.length !== 1) return { missing: 'no churn head' };
  const bags: HeadBags = { vocabSize };
  if (hybrid) {
    bags.unigram = inits.get(H.unigramWeight)?.data;
    bags.bigram = inits.get(H.bigramWeight)?.data;
  }
  return { weight: weight.data, bias: bias.data[0], bags };
}

class UseLiteTail implements DriverTail {
  private readonly hidden: Float64Array;

  constructor(
    readonly dim: number,
    private readonly out: number,
    private readonly kernel: Float32Array,
    private readonly bias: Float32Array,
    private readonly headWeight: Float32Array,
    private readonly headBias: number,
    private readonly bags: HeadBags,
  ) {
    this.hidden = new Float64Array(out);
  }

  logit(pooled: Float32Array, ids: ArrayLike<number>): number {
    const { dim, out, kernel, hidden } = this;
    for (let o = 0; o < out; o++) hidden[o] = this.bias[o];
    // Row-major [dim, out] kernel: walking a row at a time keeps reads sequential.
    for (let h = 0; h < dim; h++) {
      const x = pooled[h];
      if (x === 0) continue;
      const row = h * out;
      for (let o = 0; o < out; o++) hidden[o] += x * kernel[row + o];
    }
    let sumSq = 0;
    let dot = 0;
    for (let o = 0; o < out; o++) {
      const t = Math.tanh(hidden[o]);
      sumSq += t * t;
      dot += t * this.headWeight[o];
    }
    return dot / Math.sqrt(Math.max(sumSq, 1e-12)) + this.headBias + this.bagTerms(ids);
  }

  /** The hybrid head's Σu[id]/√max(n,1) + Σv[(a·V+b) mod B]/√max(n−1,1), as onnx/heads/hybrid-head.ts writes them. */
  private bagTerms(ids: ArrayLike<number>): number {
    const { unigram, bigram, vocabSize } = this.bags;
    const n = ids.length;
    let terms = 0;
    if (unigram) {
      let s = 0;
      for (let t = 0; t < n; t++) s += unigram[ids[t]];
      terms += s / Math.sqrt(Math.max(n, 1));
    }
    if (bigram && bigram.length > 0) {
      let s = 0;
      for (let t = 0; t + 1 < n; t++) s += bigram[(ids[t] * vocabSize + ids[t + 1]) % bigram.length];
      terms += s / Math.sqrt(Math.max(n - 1, 1));
    }
    return terms;
  }
}
