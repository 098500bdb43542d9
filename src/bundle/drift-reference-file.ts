// A bundle's drift reference (drift-reference.json): binned distributions of its validation texts, as its own engine scored them.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ModelLoadError } from '../errors';
import { writeJsonAtomicSync } from '../io';
import { BUNDLE_FILES } from './bundle-layout';

/** The per-text numeric signals drift is measured on; `source` is the one categorical signal. */
export const NUMERIC_DRIFT_SIGNALS = ['risk', 'tokens', 'rare_share', 'centroid_distance'] as const;
export type NumericDriftSignal = (typeof NUMERIC_DRIFT_SIGNALS)[number];
export const DRIFT_SIGNALS = [...NUMERIC_DRIFT_SIGNALS, 'source'] as const;
export type DriftSignal = (typeof DRIFT_SIGNALS)[number];

const numericHistogramSchema = z
  .object({
    /** Interior cut points (reference quantiles); bin i is (edges[i-1], edges[i]]. */
    edges: z.array(z.number()),
    counts: z.array(z.number().int().nonnegative()),
    /** Evenly spaced order statistics of the reference values, for the KS statistic. */
    sample: z.array(z.number()).min(1),
  })
  .refine((h) => h.counts.length === h.edges.length + 1, { message: 'counts must have one entry more than edges' });

export const driftReferenceSchema = z.object({
  format: z.literal(1),
  model: z.string().min(1),
  createdAt: z.string(),
  texts: z.number().int().positive(),
  /** Which engine file scored the texts (serving uses the same choice). */
  engine: z.object({ precision: z.string(), modelFile: z.string() }),
  /** Token counts are capped here on both sides: the validation split keeps only each text's first window. */
  tokenCap: z.number().int().positive(),
  rareTokens: z.object({
    definition: z.string(),
    unkId: z.number().int().nullable(),
    rankCutoff: z.number().int().nonnegative(),
    vocabSize: z.number().int().positive(),
  }),
  /** Unit-length mean embedding of the validation texts; distances are cosine distances to it. */
  centroid: z.array(z.number()).min(1),
  numeric: z.object({
    risk: numericHistogramSchema,
    tokens: numericHistogramSchema,
    rare_share: numericHistogramSchema,
    centroid_distance: numericHistogramSchema,
  }),
  source: z.discriminatedUnion('recorded', [
    z.object({ recorded: z.literal(true), categories: z.array(z.string()), counts: z.array(z.number().int()) }),
    z.object({ recorded: z.literal(false), reason: z.string() }),
  ]),
});

export type DriftReference = z.infer<typeof driftReferenceSchema>;
export type NumericHistogram = DriftReference['numeric']['risk'];

export function driftReferencePath(bundleDir: string): string {
  return path.join(bundleDir, BUNDLE_FILES.driftReference);
}

export function hasDriftReference(bundleDir: string): boolean {
  return fs.existsSync(driftReferencePath(bundleDir));
}

export function readDriftReference(bundleDir: string): DriftReference {
  const file = driftReferencePath(bundleDir);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ModelLoadError(`cannot read the bundle's drift reference ${file}: ${reason}`, { cause: e, file });
  }
  const parsed = driftReferenceSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(`${file} is not a drift reference: ${issue.path.join('.') || '(root)'} ${issue.message}`, {
      file,
    });
  }
  return parsed.data;
}

/** Atomic: the script adds it to bundles a server may be reading, not only to an exporter's staging folder. */
export function writeDriftReference(bundleDir: string, reference: DriftReference): void {
  const parsed = driftReferenceSchema.parse(reference);
  writeJsonAtomicSync(driftReferencePath(bundleDir), parsed);
}
