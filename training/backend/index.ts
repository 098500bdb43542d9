// Public surface of the TF.js backend layer: selection with fall-backs, the capability probe, portable ops.
export { selectBackend, activeBackendName, BACKEND_ORDER } from './select-backend';
export type { BackendChoice, SelectBackendOptions, SelectedBackend } from './select-backend';
export { transformerProbe, probeMismatch } from './capability-probe';
export type { BackendProbe } from './capability-probe';
export { gatherRows } from './gather-rows';
export { plainMatMul, swapLastAxes } from './plain-mat-mul';
