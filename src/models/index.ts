// Model serving contract: opening bundles and the registry that hot-swaps the active one.
export { openServingModel, type ServingModel, type OpenModelOptions } from './serving-model';
export { ModelRegistry, type ModelRegistryOptions, type ModelSource } from './model-registry';
export { discoverModels } from './discover-models';
