// The naive baseline bench:serve drives: Express + transformers.js, one model call per request, no batching or windows.
import path from 'node:path';
import express from 'express';
import { loadBundleWithTransformers } from '../onnx/bundle/load-with-transformers';

const port = Number(process.env.PORT ?? 0);
const dir = path.resolve(process.env.BUNDLE_DIR ?? 'models/default');
// DTYPE=q8 serves the bundle's int8 file, as a transformers.js user would pick it.
const bundle = await loadBundleWithTransformers(dir, { dtype: process.env.DTYPE === 'q8' ? 'q8' : 'fp32' });

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '2mb' }));
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.post('/score', async (req, res) => {
  const text: unknown = (req.body as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || text.trim() === '') {
    res.status(400).json({ error: 'text must be a non-empty string' });
    return;
  }
  const { probability } = await bundle.embed(text);
  res.json({ probability });
});

const server = app.listen(port, '127.0.0.1', () => {
  process.stderr.write(`naive transformers.js server on http://127.0.0.1:${port}\n`);
});
// Benchmarks kill it mid-load; in-flight requests need no draining, only the session needs freeing.
const stop = () => {
  server.close();
  void bundle.dispose().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
