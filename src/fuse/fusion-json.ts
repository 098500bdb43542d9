// The fusion.json format: a versioned, zod-validated envelope around the tabular model and one of the two combiners.
import { z } from 'zod';
import { ModelLoadError } from '../errors';
import { lateFusionJsonSchema } from './late-fusion';

export const FUSION_FORMAT = 'churnscope-fusion';
export const FUSION_VERSION = 2;

const envelope = {
  format: z.literal(FUSION_FORMAT),
  /** Serving must age texts exactly as training did, or text_risk_recent_mean means something else. */
  halfLifeDays: z.number().positive(),
  /** Version of the text bundle whose calibrated risks the aggregates were built from. */
  textModel: z.string().optional(),
  tabular: z.unknown(),
};

const fusionJsonSchema = z.discriminatedUnion('method', [
  z.strictObject({
    ...envelope,
    version: z.literal(FUSION_VERSION),
    method: z.literal('late'),
    late: lateFusionJsonSchema,
  }),
  z.strictObject({ ...envelope, version: z.literal(FUSION_VERSION), method: z.literal('trees'), fused: z.unknown() }),
]);
/** Version 1 knew fused trees only; such files still load, as method 'trees'. */
const fusionV1JsonSchema = z.strictObject({ ...envelope, version: z.literal(1), fused: z.unknown() });
// Read first, so a file of the other version is reported by its version rather than by whichever field differs first.
const versionSchema = z.object({
  format: z.literal(FUSION_FORMAT),
  version: z.union([z.literal(1), z.literal(FUSION_VERSION)]),
});

export type FusionModelJson = z.infer<typeof fusionJsonSchema>;

function parseOrThrow<T>(schema: z.ZodType<T>, json: unknown, source: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw new ModelLoadError(`${source}: ${field || '(root)'}: ${issue.message}`, { field: field || undefined });
}

/** Validates either version and returns it in the current shape (a version-1 file becomes method 'trees'). */
export function parseFusionJson(json: unknown, source: string): FusionModelJson {
  const { version } = parseOrThrow(versionSchema, json, source);
  if (version === FUSION_VERSION) return parseOrThrow(fusionJsonSchema, json, source);
  return { ...parseOrThrow(fusionV1JsonSchema, json, source), version: FUSION_VERSION, method: 'trees' };
}
