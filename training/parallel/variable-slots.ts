// Where each trained variable sits in the shared weight and gradient buffers, and the check that workers agree.
import type * as tf from '@tensorflow/tfjs';
import { TrainingFailedError } from '../../src/errors';
import type { VariableSlot, WorkerReply } from './protocol';

/** Consecutive float32 slots for the variables, in their order. */
export function variableSlots(vars: readonly tf.Variable[]): VariableSlot[] {
  let offset = 0;
  return vars.map((v) => {
    const slot = { shape: v.shape.slice(), offset, size: v.size };
    offset += v.size;
    return slot;
  });
}

/** A worker whose rebuilt spec has other variables would compute gradients for another model: refuse it. */
export function checkWorkerShapes(r: WorkerReply, layout: readonly VariableSlot[], index: number): void {
  const got = r.type === 'ready' ? r.shapes : [];
  const same = got.length === layout.length && got.every((s, i) => s.join('x') === layout[i].shape.join('x'));
  if (!same)
    throw new TrainingFailedError(
      `gradient worker ${index} built variables [${got.map((s) => s.join('x')).join(', ')}], ` +
        `not [${layout.map((s) => s.shape.join('x')).join(', ')}]`,
    );
}
