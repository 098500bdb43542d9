// The head's plain-array form (no TF.js): what training hands to the ONNX exporter and what bundles describe.
import type { NamedArray } from './use-lite-params';

/**
 * Why a bag term: a frozen sentence embedding blurs decisive words ("refund", "stale"); a sparse linear term over
 * the tokenizer's own ids restores them, SetFit-style body + head otherwise. It needs only input_ids, so the ONNX
 * graph computes it too and serving stays one model call.
 */
export interface HybridHeadConfig {
  embeddingDim: number;
  vocabSize: number;
  /** Hash buckets for token-id bigrams; 0 disables them. */
  bigramBuckets: number;
  /** Unigram bag on/off. */
  unigrams: boolean;
}

/** logit = emb·w + b + Σ_t u[id_t]/√n + Σ_t v[(id_t·V + id_{t+1}) mod B]/√(n−1) */
export interface HybridHeadParams {
  config: HybridHeadConfig;
  embeddingWeight: NamedArray; // [embeddingDim]
  bias: number;
  unigramWeight?: NamedArray; // [vocabSize]
  bigramWeight?: NamedArray; // [bigramBuckets]
}
