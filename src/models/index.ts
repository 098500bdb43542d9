// Model serving contract: opening bundles and the registry that hot-swaps the active one.
export { openServingModel, type ServingModel, type OpenModelOptions } from './serving-model';
export { ModelRegistry, type ModelRegistryOptions, type ModelSource, type LoadedModel } from './model-registry';
export { ModelLeases, type ModelLease } from './model-leases';
export { discoverModels } from './discover-models';
export { ActiveModelFollower, type ActiveModelFollowerOptions, type ModelSyncStatus } from './active-model-follower';
