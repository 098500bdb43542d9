// The declared tabular feature schema: a JSON file naming the columns that feed the tree model, their type and missing-value policy.
import fs from 'node:fs';
import { z } from 'zod';
import { DataFileError, ValidationError } from '../errors';

export const FEATURE_TYPES = ['numeric', 'categorical'] as const;
export const MISSING_POLICIES = ['zero', 'mean', 'median', 'mode', 'missing-category', 'error'] as const;

/**
 * Policies that make sense per type. For numerics, 'missing-category' keeps the value missing so the trees learn
 * which side missing values go; for categoricals it maps to the shared unknown/missing code.
 */
export const POLICIES_BY_TYPE = {
  numeric: ['zero', 'mean', 'median', 'mode', 'missing-category', 'error'],
  categorical: ['mode', 'missing-category', 'error'],
} as const satisfies Record<FeatureType, readonly MissingPolicy[]>;

export type FeatureType = (typeof FEATURE_TYPES)[number];
export type MissingPolicy = (typeof MISSING_POLICIES)[number];

export const featureSpecSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(FEATURE_TYPES),
  missing: z.enum(MISSING_POLICIES),
  description: z.string().optional(),
});

export const featureSchemaSchema = z
  .strictObject({
    features: z.array(featureSpecSchema).min(1),
    /** Customer id column: allowed in input rows, never a model input. */
    id: z.string().min(1).optional(),
    /** Label column: allowed in training rows, never a model input. */
    label: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.features.forEach((f, i) => {
      if (seen.has(f.name))
        ctx.addIssue({ code: 'custom', path: ['features', i, 'name'], message: `duplicate feature "${f.name}"` });
      seen.add(f.name);
      if (f.name === s.id || f.name === s.label) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', i, 'name'],
          message: `"${f.name}" is the id or label column and cannot be a feature`,
        });
      }
      const allowed: readonly string[] = POLICIES_BY_TYPE[f.type];
      if (!allowed.includes(f.missing)) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', i, 'missing'],
          message: `"${f.missing}" is not a missing-value policy for ${f.type} feature "${f.name}"; use one of ${allowed.join(', ')}`,
        });
      }
    });
  });

export type FeatureSpec = z.infer<typeof featureSpecSchema>;
export type FeatureSchema = z.infer<typeof featureSchemaSchema>;

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Validates an already-parsed schema object; `source` names it in messages (a file path, "request"). */
export function parseFeatureSchema(raw: unknown, source = 'feature schema'): FeatureSchema {
  const parsed = featureSchemaSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = fieldOf(issue.path);
  throw new ValidationError(`${source}: ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
}

/** Reads and validates a schema file; every failure names the file and, where there is one, the field. */
export function loadFeatureSchema(path: string): FeatureSchema {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new DataFileError(`${path}: cannot read feature schema (${reason})`, { file: path, cause: e });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(`${path}: feature schema is not valid JSON (${(e as Error).message})`, {
      file: path,
      cause: e,
    });
  }
  try {
    return parseFeatureSchema(raw, path);
  } catch (e) {
    const err = e as ValidationError;
    throw new DataFileError(err.message, { file: path, field: err.field, cause: e });
  }
}
