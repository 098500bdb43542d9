// Reads the enabled alert rules and delivers one alert: claim in the store first, then the signed webhook, then the log.
import type { Logger } from '../logging';
import type { Store } from '../store';
import { alertActionSchema, alertConditionSchema, type AlertAction, type AlertCondition } from './alert-schemas';
import type { WebhookSender } from './webhook-sender';

export interface EnabledRule {
  id: string;
  name: string;
  condition: AlertCondition;
  action: AlertAction;
}

export interface AlertDelivery {
  customerId: string | null;
  textId: string | null;
  payload: unknown;
  /** Names the event across writers: at most one delivery per (rule, claim). Undefined: always delivered. */
  claim: string | undefined;
}

export class RuleDelivery {
  constructor(private readonly opts: { store: Store; sender: WebhookSender; logger: Logger }) {}

  /** Enabled rules that still parse; a row that no longer does (older format) is skipped, not fatal. */
  async enabledRules(): Promise<EnabledRule[]> {
    const rules = (await this.opts.store.alertRules.list()).filter((r) => r.enabled);
    const parsed: EnabledRule[] = [];
    for (const rule of rules) {
      const condition = alertConditionSchema.safeParse(rule.condition);
      const action = alertActionSchema.safeParse(rule.action);
      if (!condition.success || !action.success) {
        this.opts.logger.warn({ ruleId: rule.id }, 'alert rule is malformed; skipped');
        continue;
      }
      parsed.push({ id: rule.id, name: rule.name, condition: condition.data, action: action.data });
    }
    return parsed;
  }

  /** Claim first, deliver after: of the writers that saw the same thing, only the one whose claim is stored sends. */
  async deliver(rule: EnabledRule, d: AlertDelivery): Promise<void> {
    const { store, sender, logger } = this.opts;
    const delivery = {
      ruleId: rule.id,
      customerId: d.customerId,
      textId: d.textId,
      status: 'pending' as const,
      attempts: 0,
      payload: d.payload,
    };
    const id = d.claim
      ? await store.alertLog.claim({ ...delivery, claim: d.claim })
      : await store.alertLog.record(delivery);
    if (id === null) {
      logger.debug({ ruleId: rule.id, textId: d.textId }, 'alert already claimed by another writer');
      return;
    }
    const result = await sender.send({ url: rule.action.url, secret: rule.action.secret }, d.payload);
    await store.alertLog.update(id, {
      status: result.delivered ? 'delivered' : 'failed',
      attempts: result.attempts,
      lastError: result.error ?? null,
    });
    logger.info({ ruleId: rule.id, delivered: result.delivered, attempts: result.attempts }, 'alert delivered');
  }
}
