// Worker-thread entry of a data-parallel gradient worker; plain JS that loads the TypeScript body through tsx's API,
// so it starts the same under tsx, vitest and bare node.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const body = await tsImport('./worker-body.ts', import.meta.url);
body.serveGradients(parentPort);
