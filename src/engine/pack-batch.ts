// Packs unpadded token sequences into the model's right-padded int64 [batch, seq] ids and mask, shared by every TextModel.
import os from 'node:os';
import { ValidationError } from '../errors';
import type { ModelOutputs } from './text-model';

export interface PackedBatch {
  batch: number;
  seq: number;
  ids: BigInt64Array<ArrayBuffer>;
  mask: BigInt64Array<ArrayBuffer>;
}

// Writing the low 32-bit word of each int64 through an Int32Array view is ~20x faster than BigInt() per token, and
// valid because ids are non-negative (high word 0) on little-endian hosts, which is every platform ORT ships for.
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Refuses what the model cannot take (an empty sequence, a negative id) with a ValidationError naming the row. */
export function packBatch(sequences: readonly Int32Array[]): PackedBatch {
  const batch = sequences.length;
  let seq = 0;
  sequences.forEach((s, b) => {
    if (s.length === 0) throw new ValidationError(`sequence ${b} is empty; the model needs at least one token`);
    seq = Math.max(seq, s.length);
  });
  const ids = new BigInt64Array(batch * seq);
  const mask = new BigInt64Array(batch * seq);
  const ids32 = new Int32Array(ids.buffer);
  const mask32 = new Int32Array(mask.buffer);
  sequences.forEach((s, b) => {
    const row = b * seq;
    for (let t = 0; t < s.length; t++) {
      const id = s[t];
      if (id < 0) throw new ValidationError(`sequence ${b} has a negative token id ${id} at ${t}`);
      if (LITTLE_ENDIAN) {
        ids32[2 * (row + t)] = id;
        mask32[2 * (row + t)] = 1;
      } else {
        ids[row + t] = BigInt(id);
        mask[row + t] = 1n;
      }
    }
  });
  return { batch, seq, ids, mask };
}

/** The outputs of a batch of nothing: no model call is made for it. */
export function emptyOutputs(embeddingDim: number): ModelOutputs {
  return {
    embedding: new Float32Array(0),
    embeddingDim,
    logits: new Float32Array(0),
    probability: new Float32Array(0),
  };
}
