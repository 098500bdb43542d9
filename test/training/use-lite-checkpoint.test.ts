// Reading the pretrained USE-lite weights into the plain-array contract, and refusing broken checkpoints.
import { mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelLoadError } from '../../src/errors';
import { defaultUseLiteDir, readUseLiteCheckpoint } from '../../training/encoders/use-lite/checkpoint';

const TANH_BIAS = 'module/Encoder_en/hidden_layers/tanh_layer_0/bias';
const temps: string[] = [];

/** A copy of the checkpoint folder (shards linked) whose model.json went through `edit`. */
async function editedCheckpoint(
  edit: (json: { weightsManifest: { weights: { name: string; shape: number[] }[] }[] }) => void,
) {
  const src = defaultUseLiteDir();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'use-lite-ckpt-'));
  temps.push(dir);
  for (const f of await readdir(src))
    if (f.startsWith('group1-shard')) await symlink(path.join(src, f), path.join(dir, f));
  const json = JSON.parse(await readFile(path.join(src, 'model.json'), 'utf8'));
  edit(json);
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}
const weight = (json: Parameters<Parameters<typeof editedCheckpoint>[0]>[0], name: string) =>
  json.weightsManifest.flatMap((g) => g.weights).find((w) => w.name === name)!;

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('readUseLiteCheckpoint', () => {
  it('maps the graph weights onto the contract, conv kernels flattened to [in, out]', async () => {
    const p = await readUseLiteCheckpoint();
    expect(p.tokenEmbedding.shape).toEqual([8002, 256]);
    expect(p.layers[0].qkvKernel.shape).toEqual([256, 768]);
    expect(p.layers[0].outKernel.shape).toEqual([256, 512]);
    expect(p.layers[0].residualKernel?.shape).toEqual([256, 512]);
    expect(p.layers[1].qkvKernel.shape).toEqual([512, 1536]);
    expect(p.layers[1].residualKernel).toBeUndefined();
    expect(p.layers[1].ffn1Kernel.shape).toEqual([512, 1536]);
    expect(p.tanhKernel.shape).toEqual([512, 512]);
    for (const a of [p.tokenEmbedding, p.layers[1].ffn2Kernel, p.tanhBias]) {
      expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
    }
    // Tensor2Tensor timescales: 1e4^(-i/127) for i < 128.
    expect(p.invTimescales.shape).toEqual([128]);
    p.invTimescales.data.forEach((v, i) => expect(v).toBeCloseTo(Math.pow(1e4, -i / 127), 6));
  });

  it('names a missing weight', async () => {
    const dir = await editedCheckpoint((json) => {
      weight(json, TANH_BIAS).name = 'renamed';
    });
    await expect(readUseLiteCheckpoint({ dir })).rejects.toThrow(ModelLoadError);
    await expect(readUseLiteCheckpoint({ dir })).rejects.toThrow(`lacks weight ${TANH_BIAS}`);
  });

  it('names a weight of the wrong shape', async () => {
    const dir = await editedCheckpoint((json) => {
      weight(json, TANH_BIAS).shape = [2, 256];
    });
    await expect(readUseLiteCheckpoint({ dir })).rejects.toThrow(`${TANH_BIAS} has shape [2,256], expected [512]`);
  });

  it('refuses a folder without a model', async () => {
    await expect(readUseLiteCheckpoint({ dir: os.tmpdir() })).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('stays free of TF.js so that the ONNX exporter can use it', async () => {
    const source = await readFile(new URL('../../training/encoders/use-lite/checkpoint.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/@tensorflow/);
  });
});
