// The in-thread ONNX session (engine.workers = 0) keeps the TextModel contract.
import { OnnxSession } from '../../src/engine';
import { silentLogger } from '../../src/logging';
import { describeTextModelContract, MODEL_FILE } from './text-model-contract';

describeTextModelContract('OnnxSession (main thread)', () =>
  OnnxSession.create({ modelPath: MODEL_FILE, providers: ['cpu'], threads: 0, logger: silentLogger() }),
);
