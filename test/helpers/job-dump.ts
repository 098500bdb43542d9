// The end-to-end job tests' shared pieces: a free port, a dump of repeated real reviews, and the single-process reference run.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readBundleInfo } from '../../src/bundle';
import { engineDefaults } from '../../src/config';
import { createEngine } from '../../src/engine';
import { scoreFile } from '../../src/jobs';
import { silentLogger } from '../../src/logging';
import { RiskCalibrator } from '../../src/score';
import { loadReviews } from './reviews';

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** `rows` rows (id, review) cycling through the real reviews, each made unique by its round number. */
export async function writeReviewDump(file: string, rows: number): Promise<void> {
  const reviews = await loadReviews();
  const out = Array.from({ length: rows }, (_, i) => ({
    id: `row-${i}`,
    review: `${reviews[i % reviews.length].review} (${Math.floor(i / reviews.length)})`,
  }));
  fs.writeFileSync(file, stringify(out, { header: true }));
}

/** Risk per row id from an uninterrupted in-process scoreFile run of `input` on `modelDir` (written next to it). */
export async function referenceScores(modelDir: string, input: string): Promise<Map<string, string>> {
  const engine = await createEngine({
    bundleDir: modelDir,
    config: engineDefaults({ providers: ['cpu'] }),
    logger: silentLogger(),
  });
  const output = path.join(path.dirname(input), 'reference.csv');
  try {
    await scoreFile({
      input,
      output,
      textColumn: 'review',
      engine,
      calibrator: new RiskCalibrator(readBundleInfo(modelDir)),
    });
  } finally {
    await engine.dispose();
  }
  const rows = parse<Record<string, string>>(fs.readFileSync(output), { columns: true });
  return new Map(rows.map((r) => [r.id, r.risk]));
}
