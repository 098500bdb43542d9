import { defineConfig } from 'vitest/config';

// Model-level tests load real weights and run real inference on a 2-core CPU: give them room,
// and run files in separate forks so native runtimes (ORT, TF.js) never share a process.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
