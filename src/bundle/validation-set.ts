// A bundle's validation split as token windows, labels and sources: what later checks of the bundle (int8) are measured on.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ModelLoadError } from '../errors';
import { BUNDLE_FILES } from './bundle-layout';

const validationSetSchema = z
  .object({
    /** One token window per text, as the trainer scored it (truncated to the bundle's maxTokens). */
    ids: z.array(z.array(z.number().int().nonnegative())),
    labels: z.array(z.union([z.literal(0), z.literal(1)])),
    sources: z.array(z.string()),
  })
  .refine((v) => v.ids.length === v.labels.length && v.ids.length === v.sources.length, {
    message: 'ids, labels and sources must have one entry per text',
  });

export interface ValidationSet {
  ids: Int32Array[];
  labels: number[];
  sources: string[];
}

export function validationSetPath(bundleDir: string): string {
  return path.join(bundleDir, BUNDLE_FILES.validationSet);
}

export function hasValidationSet(bundleDir: string): boolean {
  return fs.existsSync(validationSetPath(bundleDir));
}

export function readValidationSet(bundleDir: string): ValidationSet {
  const file = validationSetPath(bundleDir);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ModelLoadError(`cannot read the bundle's validation split ${file}: ${reason}`, { cause: e, file });
  }
  const parsed = validationSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(
      `${file} is not a validation split: ${issue.path.join('.') || '(root)'} ${issue.message}`,
      {
        file,
      },
    );
  }
  return {
    ids: parsed.data.ids.map((w) => Int32Array.from(w)),
    labels: parsed.data.labels,
    sources: parsed.data.sources,
  };
}

/** Written into a staging folder by the exporter, so no atomic rename is needed here. */
export function writeValidationSet(bundleDir: string, set: ValidationSet): void {
  const body = { ids: set.ids.map((w) => Array.from(w)), labels: set.labels, sources: set.sources };
  fs.writeFileSync(validationSetPath(bundleDir), `${JSON.stringify(body)}\n`);
}
