// Reads the churnscope section of a bundle's config.json: what the served model is and how it was built.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ModelLoadError } from '../errors';
import { bandThresholdsSchema } from '../score/bands';
import { calibrationSchema } from '../score/calibration';
import { BUNDLE_FILES } from './bundle-layout';

export const bundleInfoSchema = z.object({
  /** Shown in every response and log line; unique per trained bundle. */
  version: z.string().min(1),
  /** Encoder family, e.g. "use-lite" or "bert". */
  encoder: z.string().min(1),
  /** Tokens per window the model was trained with. */
  maxTokens: z.number().int().positive(),
  /** Most tokens one window can hold (BERT: max_position_embeddings − 2); the engine never makes longer windows. */
  tokenLimit: z.number().int().positive().optional(),
  createdAt: z.string().optional(),
  /** Fitted on validation at training time; absent for bare encoders (then risk = raw probability). */
  calibration: calibrationSchema.optional(),
  bands: bandThresholdsSchema.optional(),
});

export type BundleInfo = z.infer<typeof bundleInfoSchema>;

export const BUNDLE_CONFIG_FILE = BUNDLE_FILES.config;

export function readBundleInfo(bundleDir: string): BundleInfo {
  const file = path.join(bundleDir, BUNDLE_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ModelLoadError(`cannot read model bundle config ${file}: ${reason}`, { cause: e, file });
  }
  const section = (raw as { churnscope?: unknown }).churnscope;
  const parsed = bundleInfoSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(`${file}: churnscope.${issue.path.join('.')} ${issue.message}`, {
      file,
      field: `churnscope.${issue.path.join('.')}`,
    });
  }
  return parsed.data;
}

/**
 * The bundle's tokens-per-window ceiling, or undefined when it declares none (USE-lite bundles, bare test bundles, no
 * config.json): read leniently because the engine also opens bundles that have no churnscope section.
 */
export function readTokenLimit(bundleDir: string): number | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(bundleDir, BUNDLE_CONFIG_FILE), 'utf8')) as {
      churnscope?: { tokenLimit?: unknown };
    };
    const limit = raw.churnscope?.tokenLimit;
    return typeof limit === 'number' && Number.isSafeInteger(limit) && limit > 0 ? limit : undefined;
  } catch {
    return undefined;
  }
}
