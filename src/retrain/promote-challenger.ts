// Promotion through the store's active-model record: the bundle is copied into the models folder, registered, activated.
import fs from 'node:fs';
import path from 'node:path';
import { ConflictError } from '../errors';
import type { Store } from '../store';

export interface PromoteOptions {
  store: Store;
  /** The challenger bundle as trained (--out). */
  bundleDir: string;
  version: string;
  /** Where servers discover activatable bundles; the bundle is copied to <modelsDir>/<version> unless it lies there. */
  modelsDir: string;
  metrics: unknown;
}

/** Returns where the promoted bundle now lives. Servers following the store switch to it (ActiveModelFollower). */
export async function promoteChallenger(opts: PromoteOptions): Promise<string> {
  const src = path.resolve(opts.bundleDir);
  const inPlace = path.dirname(src) === path.resolve(opts.modelsDir);
  const dest = inPlace ? src : path.resolve(opts.modelsDir, opts.version);
  if (!inPlace) {
    if (fs.existsSync(dest))
      throw new ConflictError(`${dest} already exists; cannot copy the challenger into --models-dir`);
    fs.mkdirSync(opts.modelsDir, { recursive: true });
    fs.cpSync(src, dest, { recursive: true });
  }
  if (!(await opts.store.models.get(opts.version)))
    await opts.store.models.register({ version: opts.version, path: dest, metrics: opts.metrics });
  await opts.store.models.activate(opts.version);
  return dest;
}
