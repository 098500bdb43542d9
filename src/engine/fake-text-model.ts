// A deterministic stand-in for the ONNX model: fast engine tests without loading weights.

import type { ModelOutputs, TextModel } from './text-model';

export interface FakeTextModelOptions {
  embeddingDim?: number;
  /** Token ids that push the fake risk up, so tests can craft risky and calm inputs. */
  riskyIds?: Iterable<number>;
  /** Artificial latency per run, to exercise batching under concurrency. */
  delayMs?: number;
}

export class FakeTextModel implements TextModel {
  readonly provider = 'fake';
  readonly embeddingDim: number;
  /** Every batch the fake saw, so tests can check batching decisions. */
  readonly batches: Int32Array[][] = [];
  private readonly risky: Set<number>;
  private readonly delayMs: number;

  constructor(opts: FakeTextModelOptions = {}) {
    this.embeddingDim = opts.embeddingDim ?? 8;
    this.risky = new Set(opts.riskyIds ?? []);
    this.delayMs = opts.delayMs ?? 0;
  }

  async run(sequences: readonly Int32Array[]): Promise<ModelOutputs> {
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
      logits[b] = 4 * (hits / Math.max(seq.length, 1)) - 2;
      probability[b] = 1 / (1 + Math.exp(-logits[b]));
    });
    return { embedding, embeddingDim: d, logits, probability };
  }

  async dispose(): Promise<void> {}
}
