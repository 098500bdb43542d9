// Decides which bundle file each execution provider opens (fp32 model.onnx or int8 model_quantized.onnx) from engine.precision.
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES } from '../bundle';
import type { ExecutionProvider, PrecisionSetting } from '../config';
import { ModelLoadError } from '../errors';

export type ModelPrecision = 'fp32' | 'int8';

export interface ModelFileChoice {
  precision: ModelPrecision;
  /** Absolute path of the ONNX file. */
  path: string;
  /** The bundle-relative name, for logs, /v1/models and /metrics. */
  file: string;
  /** Why this file, in words, for the start-up log. */
  reason: string;
}

/** One choice per provider, because the provider that actually runs is known only once a session opens. */
export type ModelFilePlan = Record<ExecutionProvider, ModelFileChoice>;

export function planModelFiles(bundleDir: string, setting: PrecisionSetting): ModelFilePlan {
  const hasInt8 = fs.existsSync(path.join(bundleDir, BUNDLE_FILES.quantizedModel));
  if (setting === 'int8' && !hasInt8) {
    throw new ModelLoadError(
      `precision int8 needs ${path.join(bundleDir, BUNDLE_FILES.quantizedModel)}, which this bundle does not have; ` +
        `write it with \`npx churnscope quantize --model ${bundleDir}\`, or use precision fp32 or auto`,
      { file: path.join(bundleDir, BUNDLE_FILES.quantizedModel), field: 'engine.precision' },
    );
  }
  const choose = (precision: ModelPrecision, reason: string): ModelFileChoice => {
    const file = precision === 'int8' ? BUNDLE_FILES.quantizedModel : BUNDLE_FILES.model;
    return { precision, file, path: path.join(bundleDir, file), reason };
  };
  if (setting !== 'auto') return { cpu: choose(setting, 'explicit'), cuda: choose(setting, 'explicit') };
  return {
    // int8 MatMuls are what the CPU provider is fast at (VNNI); on CUDA they would fall back to CPU kernels.
    cpu: hasInt8
      ? choose('int8', `auto: the CPU provider runs ${BUNDLE_FILES.quantizedModel}`)
      : choose('fp32', `auto: the bundle has no ${BUNDLE_FILES.quantizedModel}`),
    cuda: choose('fp32', 'auto: CUDA runs fp32'),
  };
}
