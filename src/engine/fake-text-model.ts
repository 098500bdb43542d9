// A deterministic stand-in for the ONNX model: fast engine tests without loading weights.

import type { ModelOutputs, ModelRunOptions, TextModel } from './text-model';

export interface FakeTextModelOptions {
  embeddingDim?: number;
  /** Token ids that push the fake risk up, so tests can craft risky and calm inputs. */
  riskyIds?: Iterable<number>;
  /** Artificial latency per run, to exercise batching under concurrency. */
  delayMs?: number;
  /**
   * Offer token_states (default false): width 1, 1 on a risky token and 0 elsewhere, so the fake's logit is
   * FAKE_TAIL applied to their mean, the way a real logit is its tail applied to pooled states.
   */
  tokenStates?: boolean;
}

/** The fake's tail: logit from the pooled (mean) token state. */
export const fakeTailLogit = (pooledRisky: number): number => 4 * pooledRisky - 2;

export class FakeTextModel implements TextModel {
  readonly provider = 'fake';
  readonly embeddingDim: number;
  readonly supportsTokenStates: boolean;
  /** Every batch the fake saw, so tests can check batching decisions. */
  readonly batches: Int32Array[][] = [];
  private readonly risky: Set<number>;
  private readonly delayMs: number;

  constructor(opts: FakeTextModelOptions = {}) {
    this.embeddingDim = opts.embeddingDim ?? 8;
    this.risky = new Set(opts.riskyIds ?? []);
    this.delayMs = opts.delayMs ?? 0;
    this.supportsTokenStates = opts.tokenStates ?? false;
  }

  async run(sequences: readonly Int32Array[], opts: ModelRunOptions = {}): Promise<ModelOutputs> {
    this.batches.push([...sequences]);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const d = this.embeddingDim;
    const embedding = new Float32Array(sequences.length * d);
    const logits = new Float32Array(sequences.length);
    const probability = new Float32Array(sequences.length);
    sequences.forEach((seq, b) => {
      let hits = 0;
      let norm = 0;
      for (const id of seq) {
        embedding[b * d + (id % d)] += 1;
        if (this.risky.has(id)) hits++;
      }
      for (let i = 0; i < d; i++) norm += embedding[b * d + i] ** 2;
      for (let i = 0; i < d; i++) embedding[b * d + i] /= Math.sqrt(Math.max(norm, 1e-12));
      logits[b] = fakeTailLogit(hits / Math.max(seq.length, 1));
      probability[b] = 1 / (1 + Math.exp(-logits[b]));
    });
    const out: ModelOutputs = { embedding, embeddingDim: d, logits, probability };
    if (opts.tokenStates && this.supportsTokenStates) {
      const sequence = sequences.reduce((m, s) => Math.max(m, s.length), 1);
      const data = new Float32Array(sequences.length * sequence);
      sequences.forEach((seq, b) => seq.forEach((id, t) => (data[b * sequence + t] = this.risky.has(id) ? 1 : 0)));
      out.tokenStates = { data, sequence, dim: 1 };
    }
    return out;
  }

  async dispose(): Promise<void> {}
}
