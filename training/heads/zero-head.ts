// A head that outputs logit 0 everywhere: used to export a bare encoder whose embeddings are all that matter.
import type { HybridHeadParams } from '../../onnx/params/hybrid-head-params';

export function zeroHead(embeddingDim: number, vocabSize: number): HybridHeadParams {
  return {
    config: { embeddingDim, vocabSize, bigramBuckets: 0, unigrams: false },
    embeddingWeight: { shape: [embeddingDim], data: new Float32Array(embeddingDim) },
    bias: 0,
  };
}
