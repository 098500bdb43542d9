// Encodes one raw row into the tree model's input vector, applying each feature's missing-value policy with the fitted stats.
import { ValidationError } from '../errors';
import type { FeatureSchema } from './feature-schema';
import { UNKNOWN_CODE, type FeatureStats } from './feature-stats';
import { categoryKey, isMissing, parseNumeric } from './parse-value';

interface Lookup {
  allowed: Set<string>;
  codes: Map<string, number>[];
}

// Encoding runs per request; build the name sets and category maps once per stats object.
const lookups = new WeakMap<FeatureSchema, WeakMap<FeatureStats, Lookup>>();

function lookupFor(schema: FeatureSchema, stats: FeatureStats): Lookup {
  let bySchema = lookups.get(schema);
  if (!bySchema) lookups.set(schema, (bySchema = new WeakMap()));
  let found = bySchema.get(stats);
  if (!found) {
    const allowed = new Set(schema.features.map((f) => f.name));
    if (schema.id) allowed.add(schema.id);
    if (schema.label) allowed.add(schema.label);
    const codes = stats.map(
      (s) => new Map(s.type === 'categorical' ? s.categories.map((c, i) => [c, i + 1] as const) : []),
    );
    found = { allowed, codes };
    bySchema.set(stats, found);
  }
  return found;
}

/** Throws naming every unknown key and listing the valid ones; the id and label columns are accepted and ignored. */
export function checkKnownFeatures(schema: FeatureSchema, stats: FeatureStats, values: Record<string, unknown>): void {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ValidationError('features must be an object of feature name to value');
  }
  const { allowed } = lookupFor(schema, stats);
  const unknown = Object.keys(values).filter((k) => !allowed.has(k));
  if (unknown.length) {
    throw new ValidationError(
      `unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; valid features: ${schema.features.map((f) => f.name).join(', ')}`,
      { field: unknown[0] },
    );
  }
}

/**
 * Numerics become their value (NaN only under 'missing-category', for the trees' missing branch); categoricals become
 * their training code, or UNKNOWN_CODE when missing or never seen in training.
 */
export function encodeRow(schema: FeatureSchema, stats: FeatureStats, values: Record<string, unknown>): Float64Array {
  checkKnownFeatures(schema, stats, values);
  const { codes } = lookupFor(schema, stats);
  const out = new Float64Array(schema.features.length);
  schema.features.forEach((spec, i) => {
    const raw = values[spec.name];
    const stat = stats[i];
    if (isMissing(raw)) {
      if (spec.missing === 'error') {
        throw new ValidationError(`feature "${spec.name}" is missing and its schema policy is "error"`, {
          field: spec.name,
        });
      }
      if (stat.type === 'categorical') out[i] = stat.fill ?? UNKNOWN_CODE;
      else out[i] = stat.fill ?? Number.NaN;
      return;
    }
    out[i] =
      spec.type === 'numeric'
        ? parseNumeric(raw, spec.name)
        : (codes[i].get(categoryKey(raw, spec.name)) ?? UNKNOWN_CODE);
  });
  return out;
}

/** The value a feature's explanation shows: the parsed input, or null when it was missing. */
export function displayValue(
  schema: FeatureSchema,
  index: number,
  values: Record<string, unknown>,
): string | number | null {
  const spec = schema.features[index];
  const raw = values[spec.name];
  if (isMissing(raw)) return null;
  return spec.type === 'numeric' ? parseNumeric(raw, spec.name) : categoryKey(raw, spec.name);
}
