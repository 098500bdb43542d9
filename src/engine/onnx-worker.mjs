// Worker-thread entry that owns one ONNX Runtime session; plain JS so it loads under tsx, vitest and bare node alike.
// The protocol is typed in worker-protocol.ts; option building, fallback and I/O checks stay on the main thread.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** @type {ort.InferenceSession | undefined} */
let session;
/** Set by the test hook: how the worker dies at its next run. */
let crashAtRun;

function crash(how) {
  if (how === 'exit') process.exit(70);
  // Thrown outside the message handler's catch, as an uncaught exception in a worker would be.
  setImmediate(() => {
    throw new Error('onnx worker crash requested by a test');
  });
}

/** A fresh buffer holding exactly the tensor's data, so it can be transferred (ORT's own buffers may not be). */
function own(data) {
  return new Float32Array(data).buffer;
}

async function handle(msg) {
  switch (msg.type) {
    case 'open': {
      // One session per worker: a second open replaces the first (used by the fallback to the next provider).
      await session?.release();
      session = undefined;
      const opened = await ort.InferenceSession.create(msg.modelPath, msg.settings);
      session = opened;
      const meta = (list) =>
        list.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : m));
      const signature = {
        inputNames: [...opened.inputNames],
        outputNames: [...opened.outputNames],
        inputMetadata: meta(opened.inputMetadata),
        outputMetadata: meta(opened.outputMetadata),
      };
      parentPort.postMessage({ type: 'opened', id: msg.id, signature });
      return;
    }
    case 'run': {
      if (crashAtRun) return crash(crashAtRun);
      if (!session) throw new Error('no session is open in this worker');
      const shape = [msg.batch, msg.seq];
      // Named fetches: without them ORT would copy token_states ([batch, seq, 512]) out of every run.
      const out = await session.run(
        {
          input_ids: new ort.Tensor('int64', new BigInt64Array(msg.ids), shape),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(msg.mask), shape),
        },
        msg.fetches,
      );
      const states = out.token_states;
      const reply = {
        type: 'ran',
        id: msg.id,
        embedding: own(out.embedding.data),
        logits: own(out.logits.data),
        probability: own(out.probability.data),
        ...(states ? { tokenStates: { data: own(states.data), dim: states.dims[2] } } : {}),
      };
      const transfer = [reply.embedding, reply.logits, reply.probability];
      if (reply.tokenStates) transfer.push(reply.tokenStates.data);
      parentPort.postMessage(reply, transfer);
      return;
    }
    case 'dispose':
      await session?.release();
      session = undefined;
      parentPort.postMessage({ type: 'disposed', id: msg.id });
      return;
    case 'crash':
      if (msg.when === 'next-run') crashAtRun = msg.how;
      else crash(msg.how);
      return;
    default:
      throw new Error(`unknown request type ${String(msg.type)}`);
  }
}

// Requests are handled one at a time, in order: ORT runs one batch per session at once anyway.
let chain = Promise.resolve();
parentPort.on('message', (msg) => {
  chain = chain.then(() =>
    handle(msg).catch((e) =>
      parentPort.postMessage({ type: 'failed', id: msg.id, message: e instanceof Error ? e.message : String(e) }),
    ),
  );
});
