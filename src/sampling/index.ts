// Sampling contract: seeded shuffles, stratified splits and folds.
export { rng, shuffle, stratifiedSplit, stratifiedFolds, type Rng } from './splits';
