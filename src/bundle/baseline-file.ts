// A bundle's TF-IDF baseline (baseline.json): written by training, read by `eval` to score the same file both ways.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BASELINE_METHOD, TfidfBaseline } from '../baseline';
import { ModelLoadError } from '../errors';
import { BUNDLE_FILES } from './bundle-layout';

const baselineFileSchema = z
  .object({
    method: z.literal(BASELINE_METHOD),
    options: z.object({
      minDf: z.number().int().positive(),
      maxFeatures: z.number().int().positive(),
      c: z.number().positive(),
      maxIterations: z.number().int().positive(),
    }),
    terms: z.array(z.string()),
    idf: z.array(z.number()),
    weights: z.array(z.number()),
    bias: z.number(),
  })
  .refine((f) => f.idf.length === f.terms.length && f.weights.length === f.terms.length, {
    message: 'terms, idf and weights must have one entry per term',
  });

export function hasBaseline(bundleDir: string): boolean {
  return fs.existsSync(path.join(bundleDir, BUNDLE_FILES.baseline));
}

export function readBaseline(bundleDir: string): TfidfBaseline {
  const file = path.join(bundleDir, BUNDLE_FILES.baseline);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModelLoadError(`cannot read the bundle's baseline ${file}: ${(e as Error).message}`, { cause: e, file });
  }
  const parsed = baselineFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(`${file} is not a baseline model: ${issue.path.join('.') || '(root)'} ${issue.message}`, {
      file,
    });
  }
  return TfidfBaseline.fromFile(parsed.data);
}

/** Written into the exporter's staging folder, which is renamed into place as a whole. */
export function writeBaseline(bundleDir: string, baseline: TfidfBaseline): void {
  fs.writeFileSync(path.join(bundleDir, BUNDLE_FILES.baseline), JSON.stringify(baseline.toFile()));
}
