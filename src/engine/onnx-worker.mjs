// Worker-thread entry that owns one ONNX Runtime session; plain JS so it loads under tsx, vitest and bare node alike.
// The protocol is typed in worker-protocol.ts; option building, fallback and I/O checks stay on the main thread.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** @type {ort.InferenceSession | undefined} */
let session;
/** Side graphs (e.g. the phrase drivers' tail) by the id the main thread gave them. */
const graphs = new Map();
/** Set by the test hook: how the worker dies at its next run. */
let crashAtRun;

function crash(how) {
  if (how === 'exit') process.exit(70);
  if (how === 'hang') {
    // Never returns: only terminate() (the watchdog) ends this thread.
    for (;;);
  }
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
    case 'open-graph': {
      await graphs.get(msg.graphId)?.release();
      const graph = await ort.InferenceSession.create(msg.bytes, msg.settings);
      graphs.set(msg.graphId, graph);
      const names = { inputNames: [...graph.inputNames], outputNames: [...graph.outputNames] };
      parentPort.postMessage({ type: 'graph-opened', id: msg.id, ...names });
      return;
    }
    case 'run-graph': {
      const graph = graphs.get(msg.graphId);
      if (!graph) throw new Error(`side graph ${msg.graphId} is not open in this worker`);
      const input = new ort.Tensor('float32', new Float32Array(msg.input), msg.dims);
      const out = await graph.run({ [msg.inputName]: input }, [msg.outputName]);
      const output = own(out[msg.outputName].data);
      parentPort.postMessage({ type: 'graph-ran', id: msg.id, output }, [output]);
      return;
    }
    case 'dispose':
      await session?.release();
      session = undefined;
      for (const graph of graphs.values()) await graph.release();
      graphs.clear();
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
