// Messages between the training thread and a data-parallel gradient worker (worker-entry.mjs → worker-body.ts).
import type { FreezeOptions } from '../encoders/trainable-encoder';
import type { BertPooling } from '../encoders/bert';
import type { HybridHeadConfig } from '../heads/hybrid-head';
import type { BackendChoice } from '../backend';

/** Where each variable lives in the shared weight and gradient buffers (float32 offsets), in the spec's order. */
export interface VariableSlot {
  shape: number[];
  offset: number;
  size: number;
}

export interface InitRequest {
  type: 'init';
  id: number;
  /** The backend the training thread selected; the worker must get the same one (else its numbers would differ). */
  backend: BackendChoice;
  encoder: { encoder: string; pooling?: BertPooling };
  headConfig: HybridHeadConfig;
  freeze: FreezeOptions;
  ids: Int32Array[];
  labels: number[];
  /**
   * The frozen lower part's states, when the freeze options fix one: one cache shared by all threads, laid out by
   * stateLayout(ids, rows); each thread computes the states of its `fill` rows.
   */
  states?: { buffer: SharedArrayBuffer; rows: number[]; fill: number[] };
  layout: VariableSlot[];
  /** The training thread's current weights, written before every request whose version is newer than the worker's. */
  weights: SharedArrayBuffer;
  /** This worker's gradients, written in place of a reply's payload. */
  grads: SharedArrayBuffer;
}

export interface GradsRequest {
  type: 'grads';
  id: number;
  version: number;
  indices: number[];
  posWeight: number;
  totalWeight: number;
}

export interface PredictRequest {
  type: 'predict';
  id: number;
  version: number;
  indices: number[];
}

export type WorkerRequest = InitRequest | GradsRequest | PredictRequest;

export type WorkerReply =
  | { type: 'ready'; id: number; shapes: number[][] }
  | { type: 'grads'; id: number; loss: number }
  | { type: 'probs'; id: number; probs: Float32Array }
  | { type: 'error'; id: number; message: string };
