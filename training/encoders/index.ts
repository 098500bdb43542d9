// Public surface of the trainable encoders: the family contract and each family's module.
export type { TrainableEncoder, FreezeOptions } from './trainable-encoder';
export { embedIdRows } from './embed-id-rows';
export * from './use-lite/index';
export * from './bert/index';
export * from './hf-checkpoint/index';
