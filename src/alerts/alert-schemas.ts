// What an alert rule may say: its condition (risk, band, jump, drift, live AUC) and its action (a signed webhook).
import { z } from 'zod';
import { DRIFT_SIGNALS } from '../bundle';

export const alertConditionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('risk_above'), threshold: z.number().min(0).max(1) }),
  z.object({ type: z.literal('band_at_least'), band: z.enum(['medium', 'high', 'critical']) }),
  z.object({
    type: z.literal('risk_jump'),
    delta: z.number().gt(0).max(1),
    withinDays: z.number().gt(0).max(365).default(30),
  }),
  // Checked on each drift refresh of the default window (monitoring.drift.refreshSeconds), not per scored text.
  z.object({
    type: z.literal('drift_above'),
    /** One signal, or any of them. */
    signal: z.enum([...DRIFT_SIGNALS, 'any']).default('any'),
    /** PSI to exceed; absent: the signal's configured threshold (monitoring.drift). */
    psi: z.number().gt(0).max(10).optional(),
  }),
  // Checked after each feedback: live ROC-AUC of a model version's scores paired with outcomes.
  z.object({
    type: z.literal('auc_below'),
    threshold: z.number().gt(0).max(1),
    /** Fewest labelled scores (both outcomes) before the rule may fire: a few early labels say little. */
    minLabels: z.number().int().min(2).max(1_000_000).default(50),
    /** Absent: every model version that has scores paired with feedback. */
    modelVersion: z.string().min(1).optional(),
  }),
]);
export const alertActionSchema = z.object({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key; deliveries carry the signature in X-Churnscope-Signature. */
  secret: z.string().min(16, 'secret must be at least 16 characters'),
});
export type AlertCondition = z.infer<typeof alertConditionSchema>;
export type AlertAction = z.infer<typeof alertActionSchema>;
