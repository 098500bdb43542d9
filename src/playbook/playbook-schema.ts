// The playbook file format: rules of conditions on a scored customer and the retention action each one calls for.
import { z } from 'zod';

export const ACTION_CHANNELS = ['call', 'email', 'offer', 'ticket'] as const;

const featureThreshold = z.strictObject({ feature: z.string().min(1), value: z.number() });

/** Checked here so a typo'd pattern fails at load, naming its rule, not at the first customer it meets. */
const regexSource = z
  .string()
  .min(1)
  .superRefine((src, ctx) => {
    try {
      new RegExp(src, 'i');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

export const ruleConditionsSchema = z
  .strictObject({
    bandAtLeast: z.enum(['medium', 'high', 'critical']).optional(),
    riskAtLeast: z.number().min(0).max(1).optional(),
    /** The customer's segment is one of these (compared case-insensitively). */
    segment: z.array(z.string().min(1)).min(1).optional(),
    /** A value feature (spend, charges) at or above a threshold: "worth saving". */
    valueAtLeast: featureThreshold.optional(),
    /** Any numeric feature strictly above a threshold. */
    featureAbove: featureThreshold.optional(),
    /** Regexes matched case-insensitively against driver phrases; any pattern on any phrase matches. */
    driverMatches: z.array(regexSource).min(1).optional(),
  })
  // An empty "when" would fire for every customer, which is never what a half-written rule means.
  .refine((w) => Object.values(w).some((v) => v !== undefined), { message: 'needs at least one condition' });

export const actionSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().min(1),
  /** Lower runs first: 1 is the most urgent. */
  priority: z.number(),
  channel: z.enum(ACTION_CHANNELS).optional(),
});

export const ruleSchema = z.strictObject({
  id: z.string().min(1),
  when: ruleConditionsSchema,
  action: actionSchema,
});

export const playbookSchema = z
  .strictObject({
    description: z.string().optional(),
    rules: z.array(ruleSchema).min(1),
  })
  .superRefine((book, ctx) => {
    const seen = new Map<string, number>();
    book.rules.forEach((rule, i) => {
      const first = seen.get(rule.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `duplicate rule id "${rule.id}" (also rules[${first}])`,
        });
      else seen.set(rule.id, i);
    });
  });

export type RuleConditions = z.infer<typeof ruleConditionsSchema>;
export type PlaybookAction = z.infer<typeof actionSchema>;
export type PlaybookRule = z.infer<typeof ruleSchema>;
export type PlaybookSpec = z.infer<typeof playbookSchema>;
export type ActionChannel = (typeof ACTION_CHANNELS)[number];
