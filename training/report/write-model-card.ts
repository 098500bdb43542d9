// Writes a bundle's model card as JSON and as the self-contained HTML page, side by side (into a staging folder).
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES } from '../../src/bundle';
import type { ModelCard } from './model-card';
import { renderModelCardHtml } from './model-card-html';

export function writeModelCard(dir: string, card: ModelCard): void {
  fs.writeFileSync(path.join(dir, BUNDLE_FILES.modelCard), `${JSON.stringify(card, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, BUNDLE_FILES.modelCardHtml), renderModelCardHtml(card));
}
