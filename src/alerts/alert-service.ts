// Early warning: after each scored text, evaluates the enabled rules and delivers webhooks in the background, logging every delivery.
import { createHash } from 'node:crypto';
import type { Logger } from '../logging';
import type { Store } from '../store';
import { alertActionSchema, alertConditionSchema } from './alert-schemas';
import { conditionHolds, type ScoredEvent } from './evaluate-rules';
import type { WebhookSender } from './webhook-sender';

export interface AlertServiceOptions {
  store: Store;
  sender: WebhookSender;
  logger: Logger;
}

export class AlertService {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: AlertServiceOptions) {}

  /** Never throws and never delays the response that triggered it: delivery runs in the background. */
  onScored(event: ScoredEvent): void {
    const task = this.process(event).catch((err: unknown) =>
      this.opts.logger.error({ err }, 'alert processing failed'),
    );
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  /** Waits for deliveries in progress (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async process(event: ScoredEvent): Promise<void> {
    const rules = (await this.opts.store.alertRules.list()).filter((r) => r.enabled);
    for (const rule of rules) {
      // Rules were validated on the way in; a row that no longer parses (older format) is skipped, not fatal.
      const condition = alertConditionSchema.safeParse(rule.condition);
      const action = alertActionSchema.safeParse(rule.action);
      if (!condition.success || !action.success) {
        this.opts.logger.warn({ ruleId: rule.id }, 'alert rule is malformed; skipped');
        continue;
      }
      const check = conditionHolds(condition.data, event);
      if (!check.holds) continue;
      const payload = {
        rule: { id: rule.id, name: rule.name },
        reason: check.reason,
        customerId: event.customerId,
        textId: event.textId,
        risk: event.risk,
        band: event.band,
        at: event.at,
      };
      const delivery = {
        ruleId: rule.id,
        customerId: event.customerId,
        textId: event.textId,
        status: 'pending' as const,
        attempts: 0,
        payload,
      };
      // Claim first, deliver after: of the replicas that saw the same words, only the one whose claim is stored sends.
      const claim = claimOf(event);
      const id = claim
        ? await this.opts.store.alertLog.claim({ ...delivery, claim })
        : await this.opts.store.alertLog.record(delivery);
      if (id === null) {
        this.opts.logger.debug({ ruleId: rule.id, textId: event.textId }, 'alert already claimed by another writer');
        continue;
      }
      const result = await this.opts.sender.send({ url: action.data.url, secret: action.data.secret }, payload);
      await this.opts.store.alertLog.update(id, {
        status: result.delivered ? 'delivered' : 'failed',
        attempts: result.attempts,
        lastError: result.error ?? null,
      });
      this.opts.logger.info(
        { ruleId: rule.id, delivered: result.delivered, attempts: result.attempts },
        'alert delivered',
      );
    }
  }
}

/** The customer (or none) and the words' hash; undefined when the event carries no hash (nothing to agree on). */
function claimOf(event: ScoredEvent): string | undefined {
  if (event.textHash === undefined) return undefined;
  return createHash('sha256')
    .update(JSON.stringify([event.customerId, event.textHash]))
    .digest('hex');
}
