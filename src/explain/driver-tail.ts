// The model's tail after pooling, recomputed in TypeScript: USE-lite's dense → tanh → L2 → head, read from the fp32 file.
// Direct modules, not the onnx/ index: serving needs the reader and the names, not the exporters and bundle writers.
import { LINEAR_HEAD_INITIALIZERS } from '../../onnx/exporters/use-lite';
import { USE_LITE_TAIL_INITIALIZERS } from '../../onnx/exporters/use-lite-encoder';
import { HYBRID_HEAD_INITIALIZERS } from '../../onnx/heads/hybrid-head';
import { readOnnxInitializers, type InitializerMap } from '../../onnx/initializers/read-initializers';
import { buildDriverTailGraph, type DriverTailWeights } from '../../onnx/explain/driver-tail-graph';
import type { SideGraph } from '../engine';
import { ModelLoadError } from '../errors';

/** Logits of window variants from their pooled (mean) token states and token ids, as the graph computes them. */
export interface DriverTail {
  /** Width of a token state (the pooled vector). */
  readonly dim: number;
  /** Where the dense part runs: ORT (a side graph in the engine's worker) or TypeScript on this thread. */
  readonly runsOn: 'side-graph' | 'typescript';
  /** `pooled` is row-major [ids.length, dim]: row r is the pooled state of the variant whose ids are ids[r]. */
  logits(pooled: Float32Array, ids: readonly ArrayLike<number>[]): Promise<Float64Array>;
}

interface HeadBags {
  unigram?: Float32Array;
  bigram?: Float32Array;
  vocabSize: number;
}

/** A tail read from a bundle, before the caller decides where its dense part runs. */
export interface ReadTail {
  weights: DriverTailWeights;
  /** The tail computed in TypeScript (the fallback, and the reference the side graph is tested against). */
  typescript: DriverTail;
  /** The same tail with its dense part (tanh layer, L2, linear head) run by `graph`, built from `graphBytes`. */
  onGraph(graph: SideGraph): DriverTail;
  graphBytes(): Uint8Array;
}

/**
 * The tail of a bundle's fp32 onnx/model.onnx, from the initializer names the USE-lite exporter writes; undefined
 * (with the reason) when the file is not such a graph, e.g. a BERT bundle, whose drivers then stay on occlusion.
 * The int8 file's weights are quantized, so the fp32 file is the reference the self-check tolerance is set against.
 */
export async function readUseLiteTail(modelFile: string): Promise<ReadTail | { missing: string }> {
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
  const weights: DriverTailWeights = {
    dim,
    out,
    kernel: kernel.data,
    bias: bias.data,
    headWeight: head.weight,
    headBias: head.bias,
  };
  const typescript = new UseLiteTail(dim, 'typescript', typescriptDense(weights), head.bags);
  return {
    weights,
    typescript,
    onGraph: (graph) => new UseLiteTail(dim, 'side-graph', graphDense(graph, dim), head.bags),
    graphBytes: () => buildDriverTailGraph(weights),
  };
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

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
  return t;
}

/** The dense part of the tail: the head's logit before the bag terms, one per pooled row. */
type Dense = (pooled: Float32Array, rows: number) => Promise<Float64Array>;

function graphDense(graph: SideGraph, dim: number): Dense {
  return async (pooled, rows) => Float64Array.from(await graph.run(pooled, [rows, dim]));
}

/**
 * The dense part on this thread: one pass over the kernel for all variants, so the 1 MB kernel streams through the
 * cache once instead of once per variant, and four accumulators let the dot products pipeline. About 10 ms of event
 * loop per request (--cpu-prof, 34.6% of the main thread at c16): the side graph is the default where it can run.
 */
function typescriptDense(w: DriverTailWeights): Dense {
  const { dim, out, bias, headWeight, headBias } = w;
  const kernelT = transpose(w.kernel, dim, out);
  return (pooled, rows) => {
    const z = new Float64Array(rows * out);
    const tail = dim - (dim % 4);
    for (let o = 0; o < out; o++) {
      const k = o * dim;
      for (let r = 0; r < rows; r++) {
        const p = r * dim;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let h = 0; h < tail; h += 4) {
          a0 += kernelT[k + h] * pooled[p + h];
          a1 += kernelT[k + h + 1] * pooled[p + h + 1];
          a2 += kernelT[k + h + 2] * pooled[p + h + 2];
          a3 += kernelT[k + h + 3] * pooled[p + h + 3];
        }
        for (let h = tail; h < dim; h++) a0 += kernelT[k + h] * pooled[p + h];
        z[r * out + o] = a0 + a1 + a2 + a3 + bias[o];
      }
    }
    const logits = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let sumSq = 0;
      let dot = 0;
      for (let o = 0; o < out; o++) {
        const t = Math.tanh(z[r * out + o]);
        sumSq += t * t;
        dot += t * headWeight[o];
      }
      // L2 normalisation folded into the head's dot product: (t/‖t‖)·w = (t·w)/‖t‖.
      logits[r] = dot / Math.sqrt(Math.max(sumSq, 1e-12)) + headBias;
    }
    return Promise.resolve(logits);
  };
}

class UseLiteTail implements DriverTail {
  constructor(
    readonly dim: number,
    readonly runsOn: DriverTail['runsOn'],
    private readonly dense: Dense,
    private readonly bags: HeadBags,
  ) {}

  async logits(pooled: Float32Array, ids: readonly ArrayLike<number>[]): Promise<Float64Array> {
    const logits = ids.length === 0 ? new Float64Array(0) : await this.dense(pooled, ids.length);
    for (let r = 0; r < ids.length; r++) logits[r] += this.bagTerms(ids[r]);
    return logits;
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
