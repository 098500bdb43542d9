// File-system helpers every stage shares: crash-safe writes.
export { writeFileAtomicSync, writeJsonAtomicSync } from './write-atomic';
