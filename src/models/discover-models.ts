// Finds model bundles (folders with a churnscope config.json) so they can be listed and activated.
import fs from 'node:fs';
import path from 'node:path';
import { readBundleInfo } from '../bundle';
import type { Logger } from '../logging';
import type { ModelSource } from './model-registry';

export function discoverModels(dir: string, logger: Logger): ModelSource[] {
  if (!fs.existsSync(dir)) return [];
  const found: ModelSource[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const bundle = path.join(dir, entry.name);
    if (!fs.existsSync(path.join(bundle, 'config.json'))) continue;
    try {
      found.push({ version: readBundleInfo(bundle).version, dir: bundle });
    } catch (err) {
      logger.warn({ err, bundle }, 'skipping a folder that is not a valid model bundle');
    }
  }
  return found;
}
