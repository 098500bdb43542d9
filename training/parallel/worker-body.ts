// Inside a gradient worker: rebuilds the training thread's full-mode spec, then answers gradient and predict requests.
import type { MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { createLogger } from '../../src/logging';
import { selectBackend } from '../backend';
import { HybridHead } from '../heads/hybrid-head';
import { partGradients } from '../loop/batch-gradients';
import type { TrainSpec } from '../loop/train-loop';
import { fullModeSpec, type TokenInputs } from '../modes/full-mode';
import { StateCache, stateLayout } from '../modes/state-cache';
import { openPipelineEncoder } from '../pipeline/encoder-choice';
import type { GradsRequest, InitRequest, PredictRequest, WorkerReply, WorkerRequest } from './protocol';

interface Built {
  spec: TrainSpec<TokenInputs>;
  init: InitRequest;
  version: number;
}

/** Serves one training run's requests on `port`; one at a time, in the order they come. */
export function serveGradients(port: MessagePort): void {
  let built: Built | undefined;
  let queue = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        if (msg.type === 'init') {
          built = await build(msg);
          return reply(port, { type: 'ready', id: msg.id, shapes: built.spec.variables.map((v) => v.shape) });
        }
        if (!built) throw new Error(`${msg.type} before init`);
        if (msg.type === 'grads') return reply(port, await grads(built, msg));
        return reply(port, await predict(built, msg));
      } catch (e) {
        reply(port, { type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) });
      }
    });
  });
}

function reply(port: MessagePort, r: WorkerReply): void {
  port.postMessage(r, r.type === 'probs' ? [r.probs.buffer as ArrayBuffer] : []);
}

async function build(init: InitRequest): Promise<Built> {
  // Silent: the training thread logs; a second logger here would interleave with its output.
  const logger = createLogger({ level: 'silent' });
  const backend = await selectBackend({ logger, prefer: init.backend, probe: false });
  if (backend.name !== init.backend)
    throw new Error(`backend ${init.backend} did not load in the worker (got ${backend.name})`);
  const encoderChoice = await openPipelineEncoder({ ...init.encoder, logger });
  const encoder = encoderChoice.createTrainable(logger);
  const head = new HybridHead(init.headConfig);
  const split = encoder.frozenSplit?.(init.freeze);
  let stateCache: StateCache | undefined;
  if (init.states && split) {
    const layout = stateLayout(init.ids, init.states.rows, split.width);
    const view = new Float32Array(init.states.buffer);
    await StateCache.fillPart(split, init.ids, layout, view, init.states.fill);
    stateCache = StateCache.over(init.ids, layout, view, 0);
  } else if (init.states || split) {
    throw new Error('the worker and the training thread disagree on caching frozen states');
  }
  const data = { ids: init.ids, labels: init.labels };
  const spec = await fullModeSpec(encoder, head, data, init.freeze, stateCache ? { stateCache } : {});
  const b: Built = { spec, init, version: -1 };
  syncWeights(b, 0);
  return b;
}

/** Copies the training thread's weights into this worker's variables when they changed since the last request. */
function syncWeights(b: Built, version: number): void {
  if (b.version === version) return;
  const all = new Float32Array(b.init.weights);
  tf.tidy(() =>
    b.spec.variables.forEach((v, i) => {
      const slot = b.init.layout[i];
      v.assign(tf.tensor(all.subarray(slot.offset, slot.offset + slot.size), slot.shape));
    }),
  );
  b.version = version;
}

async function grads(b: Built, msg: GradsRequest): Promise<WorkerReply> {
  syncWeights(b, msg.version);
  const part = await partGradients(b.spec, msg.indices, msg.posWeight, msg.totalWeight);
  const out = new Float32Array(b.init.grads);
  for (let i = 0; i < part.grads.length; i++) {
    out.set(await part.grads[i].data(), b.init.layout[i].offset);
  }
  tf.dispose(part.grads);
  return { type: 'grads', id: msg.id, loss: part.loss };
}

async function predict(b: Built, msg: PredictRequest): Promise<WorkerReply> {
  syncWeights(b, msg.version);
  return { type: 'probs', id: msg.id, probs: await b.spec.predict(msg.indices) };
}
