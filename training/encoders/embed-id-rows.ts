// Runs a trainable encoder on plain token-id rows and hands back plain floats, for callers that hold no tensors.
import * as tf from '@tensorflow/tfjs';
import { padIds } from '../modes/head-mode';
import type { TrainableEncoder } from './trainable-encoder';

/** Row-major [rows.length, encoder.outputDim] embeddings; every tensor made here is disposed before it returns. */
export async function embedIdRows(encoder: TrainableEncoder, rows: readonly Int32Array[]): Promise<Float32Array> {
  const { ids, mask } = padIds(rows);
  const out = encoder.apply(ids, mask);
  try {
    return await out.data<'float32'>();
  } finally {
    tf.dispose([ids, mask, out]);
  }
}
