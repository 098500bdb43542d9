// The messages between WorkerTextModel (main thread) and onnx-worker.mjs; tensors travel as transferred ArrayBuffers.
import type { SessionSettings, SessionSignature } from './session-setup';

/** Main thread → worker. Every request carries an id its reply repeats. */
export type WorkerRequest =
  | { type: 'open'; id: number; modelPath: string; settings: SessionSettings }
  /** ids and mask: int64 [batch, seq], right-padded; their buffers are transferred, not copied. */
  | {
      type: 'run';
      id: number;
      batch: number;
      seq: number;
      ids: ArrayBuffer;
      mask: ArrayBuffer;
      /** Output names to fetch (runFetches): token_states only when a caller asked for them. */
      fetches: string[];
    }
  /** A side graph (SideGraphSpec) kept by the worker under graphId next to its model session; bytes are copied. */
  | { type: 'open-graph'; id: number; graphId: number; bytes: Uint8Array; settings: SessionSettings }
  /** Runs side graph graphId on float `input` of `dims` (transferred); fetches only `output`. */
  | {
      type: 'run-graph';
      id: number;
      graphId: number;
      inputName: string;
      outputName: string;
      input: ArrayBuffer;
      dims: number[];
    }
  | { type: 'dispose'; id: number }
  /**
   * Test hook: the worker dies as a native crash or a bug would, to exercise restart and in-flight rejection; at once,
   * or at its next run (so a test can have a real request in flight when it dies). No reply.
   */
  | { type: 'crash'; id: number; how: CrashKind; when: 'now' | 'next-run' };

/** exit / throw: the worker dies; hang: it stops answering (a busy loop), as a native deadlock would look. */
export type CrashKind = 'exit' | 'throw' | 'hang';

export interface RunOutputs {
  /** Float32 [batch, dim], [batch], [batch]; transferred back. */
  embedding: ArrayBuffer;
  logits: ArrayBuffer;
  probability: ArrayBuffer;
  /** Float32 [batch, seq, dim] when token_states was fetched; transferred back. */
  tokenStates?: { data: ArrayBuffer; dim: number };
}

/** Worker → main thread. */
export type WorkerReply =
  | { type: 'opened'; id: number; signature: SessionSignature }
  | ({ type: 'ran'; id: number } & RunOutputs)
  | { type: 'graph-opened'; id: number; inputNames: string[]; outputNames: string[] }
  /** Float32 output of a side graph; transferred back. */
  | { type: 'graph-ran'; id: number; output: ArrayBuffer }
  | { type: 'disposed'; id: number }
  /** The request failed inside ORT (bad file, out-of-range id); the worker itself is still healthy. */
  | { type: 'failed'; id: number; message: string };
