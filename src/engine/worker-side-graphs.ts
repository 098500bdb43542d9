// The side graphs of a worker pool: each worker opens one the first time it runs it, so a restarted worker reopens them.
import { ModelLoadError } from '../errors';
import type { OnnxWorkerThread } from './onnx-worker-thread';
import { checkSideGraph, sideGraphSettings } from './session-setup';
import type { SideGraphSpec } from './text-model';

export class WorkerSideGraphs {
  private readonly specs = new Map<number, SideGraphSpec>();
  /** Per live thread, the opens sent to it (settled or not); a dead thread's entry goes with it. */
  private readonly opened = new WeakMap<OnnxWorkerThread, Map<number, Promise<void>>>();

  /** Registers a graph and opens it on `thread`; its id is what run() takes. */
  async open(spec: SideGraphSpec, thread: OnnxWorkerThread): Promise<number> {
    const id = this.specs.size + 1;
    this.specs.set(id, spec);
    await this.openOn(thread, id);
    return id;
  }

  async run(id: number, thread: OnnxWorkerThread, input: Float32Array, dims: readonly number[]): Promise<Float32Array> {
    const spec = this.specs.get(id)!;
    await this.openOn(thread, id);
    // A copy the worker can own: the caller's array stays usable, and a subarray's buffer may be larger than it.
    const buffer = input.slice().buffer;
    const reply = await thread.request(
      {
        type: 'run-graph',
        graphId: id,
        inputName: spec.input,
        outputName: spec.output,
        input: buffer,
        dims: [...dims],
      },
      [buffer],
    );
    if (reply.type !== 'graph-ran') throw new ModelLoadError(`inference worker answered ${reply.type} to run-graph`);
    return new Float32Array(reply.output);
  }

  /** Opens graph `id` on `thread` once; a failed open is forgotten so the next run retries it. */
  private openOn(thread: OnnxWorkerThread, id: number): Promise<void> {
    let opened = this.opened.get(thread);
    if (!opened) this.opened.set(thread, (opened = new Map<number, Promise<void>>()));
    const known = opened.get(id);
    if (known) return known;
    const spec = this.specs.get(id)!;
    const opening = thread
      .request({ type: 'open-graph', graphId: id, bytes: spec.bytes, settings: sideGraphSettings() })
      .then((reply) => {
        if (reply.type !== 'graph-opened')
          throw new ModelLoadError(`inference worker answered ${reply.type} to open-graph`);
        checkSideGraph(reply, spec);
      });
    opening.catch(() => opened.delete(id));
    opened.set(id, opening);
    return opening;
  }
}
