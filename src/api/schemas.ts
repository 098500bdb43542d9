// Request schemas of the HTTP API: the same zod objects validate requests and generate /openapi.json.
import { z } from 'zod';
import { alertActionSchema, alertConditionSchema } from '../alerts/alert-schemas';
import { textSourceSchema } from '../text/text-source';

export const MAX_ITEMS = 256;

const featureValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const featuresSchema = z
  .record(z.string(), featureValue)
  .describe('Behavioural features by name, as declared in the tabular schema');

export const scoreItemSchema = z.object({
  text: z.string().describe('The text to score (ticket, review, chat transcript or feedback)'),
  source: textSourceSchema.optional(),
  customerId: z.string().min(1).max(200).optional(),
  features: featuresSchema.optional(),
  /** Phrase drivers cost one extra model pass per clause; false skips them (default: on for single texts, high risk in batches). */
  explain: z.boolean().optional(),
});
export const scoreBatchSchema = z.object({
  items: z
    .array(scoreItemSchema)
    .min(1, 'items must hold at least one item')
    .max(MAX_ITEMS, `items holds at most ${MAX_ITEMS} entries`),
});

export const customerSchema = z.object({
  features: featuresSchema,
  segment: z.string().max(200).nullable().optional(),
});

export const feedbackSchema = z
  .object({
    customerId: z.string().min(1).optional(),
    textId: z.string().min(1).optional(),
    outcome: z.enum(['churned', 'retained', 'override']),
    overrideRisk: z.number().min(0).max(1).optional(),
    note: z.string().max(2000).optional(),
  })
  .refine((f) => f.customerId !== undefined || f.textId !== undefined, {
    message: 'give customerId or textId',
    path: ['customerId'],
  })
  .refine((f) => f.outcome !== 'override' || f.overrideRisk !== undefined, {
    message: 'an override needs overrideRisk',
    path: ['overrideRisk'],
  });

export const alertRuleSchema = z.object({
  name: z.string().min(1).max(200),
  condition: alertConditionSchema,
  action: alertActionSchema,
  enabled: z.boolean().default(true),
});
export const alertRulePatchSchema = alertRuleSchema.partial();

export type ScoreItem = z.infer<typeof scoreItemSchema>;
export type AlertRuleInput = z.infer<typeof alertRuleSchema>;
