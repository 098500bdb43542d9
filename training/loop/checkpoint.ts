// Per-epoch checkpoints (weights, best weights, optimizer moments, history) written atomically so an interrupted run resumes.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomicSync } from '../../src/io';

export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validAuc: number;
  seconds: number;
  examplesPerSecond: number;
}

export interface CheckpointState {
  epochsDone: number;
  bestEpoch: number;
  bestAuc: number;
  history: EpochRecord[];
  /** Opaque to the store: the caller's own fingerprint, so a resume with different data or options is refused. */
  fingerprint: string;
}

interface StoredTensor {
  group: 'current' | 'best' | 'optimizer';
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export class CheckpointStore {
  constructor(readonly dir: string) {}

  exists(): boolean {
    return fs.existsSync(path.join(this.dir, 'state.json'));
  }

  async save(state: CheckpointState, groups: Record<StoredTensor['group'], NamedTensor[]>): Promise<void> {
    const index: StoredTensor[] = [];
    const chunks: Buffer[] = [];
    let offset = 0;
    for (const group of ['current', 'best', 'optimizer'] as const) {
      for (const { name, tensor } of groups[group]) {
        // Everything is stored as float32 (Adam's int32 iteration count included; it is far below 2^24).
        const data = Buffer.from(Float32Array.from(await tensor.data()).buffer);
        index.push({ group, name, shape: tensor.shape.slice(), offset, length: data.length });
        chunks.push(data);
        offset += data.length;
      }
    }
    const tmp = `${this.dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    // Each file fsynced, then the folder renamed: a resume never finds a checkpoint whose bytes are not on disk.
    writeFileAtomicSync(path.join(tmp, 'tensors.bin'), Buffer.concat(chunks));
    writeFileAtomicSync(path.join(tmp, 'state.json'), JSON.stringify({ ...state, tensors: index }));
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.renameSync(tmp, this.dir);
  }

  load(): { state: CheckpointState; groups: Record<StoredTensor['group'], NamedTensor[]> } {
    const raw = JSON.parse(fs.readFileSync(path.join(this.dir, 'state.json'), 'utf8')) as CheckpointState & {
      tensors: StoredTensor[];
    };
    const bin = fs.readFileSync(path.join(this.dir, 'tensors.bin'));
    const groups: Record<StoredTensor['group'], NamedTensor[]> = { current: [], best: [], optimizer: [] };
    for (const t of raw.tensors) {
      const data = new Float32Array(bin.buffer.slice(bin.byteOffset + t.offset, bin.byteOffset + t.offset + t.length));
      groups[t.group].push({ name: t.name, tensor: tf.tensor(data, t.shape) });
    }
    const { tensors: _ignored, ...state } = raw;
    return { state, groups };
  }
}
