// Public surface of the USE-lite family: the plain-array contract, the checkpoint reader and the TF.js encoder.
export { USE_LITE_ARCHITECTURE } from '../../../onnx/params/use-lite-params';
export type {
  NamedArray,
  UseLiteArchitecture,
  UseLiteLayerParams,
  UseLiteParams,
  LinearHeadParams,
} from '../../../onnx/params/use-lite-params';
export { readUseLiteCheckpoint, defaultUseLiteDir } from './checkpoint';
export { UseLiteEncoder } from './use-lite-encoder';
export type { UseLiteEncoderOptions } from './use-lite-encoder';
export { useLiteForward, timingSignal } from './use-lite-forward';
export type { UseLiteTensors, UseLiteLayerTensors } from './use-lite-forward';
