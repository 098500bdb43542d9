// The one place that decides where the model runs: an ONNX session in worker threads (engine.workers > 0) or in this thread.
import os from 'node:os';
import type { EngineConfig, ExecutionProvider } from '../config';
import type { Logger } from '../logging';
import type { ModelFilePlan } from './model-precision';
import { OnnxSession } from './onnx-session';
import type { TextModel } from './text-model';
import { WorkerTextModel } from './worker-text-model';

export interface OpenTextModelOptions {
  /** The file each provider opens (model-precision.ts). */
  plan: ModelFilePlan;
  config: EngineConfig;
  logger: Logger;
}

export interface OpenedTextModel extends TextModel {
  readonly provider: ExecutionProvider;
  /** The file the running provider opened. */
  readonly modelPath: string;
}

export async function openTextModel(opts: OpenTextModelOptions): Promise<OpenedTextModel> {
  const { config, plan, logger } = opts;
  const workers = config.workers;
  const files = {
    modelPath: plan.cpu.path,
    modelPathByProvider: { cpu: plan.cpu.path, cuda: plan.cuda.path },
    providers: config.providers,
    // Workers share the cores: each session left to ORT's default would start a thread per core and oversubscribe.
    threads: config.threads || (workers > 0 ? Math.max(1, Math.floor(os.availableParallelism() / workers)) : 0),
  };
  // In a worker, spinning threads would take the core the event loop needs between batches; in-thread keeps ORT's default.
  const spinning = workers > 0 ? (config.spinning ?? false) : config.spinning;
  const model =
    workers > 0
      ? await WorkerTextModel.create({ ...files, workers, spinning, deadlineMs: config.workerDeadlineMs, logger })
      : await OnnxSession.create({ ...files, spinning, logger });
  const file = plan[model.provider].file;
  const where = workers > 0 ? `${workers} worker thread${workers === 1 ? '' : 's'}` : 'the main thread';
  const threads = files.threads || 'auto';
  const spin = spinning === undefined ? 'default' : spinning ? 'on' : 'off';
  logger.info(
    { workers, threads, spinning: spin, provider: model.provider, modelFile: file },
    `text model on ${where} (intra-op threads ${threads}, spinning ${spin}): ${file} on ${model.provider}`,
  );
  return model;
}
