// Early warning: evaluates the enabled rules after each scored text, drift refresh and feedback, and delivers webhooks in the background.
import { createHash } from 'node:crypto';
import type { DriftReport } from '../drift';
import type { Logger } from '../logging';
import type { Store } from '../store';
import { conditionHolds, type ScoredEvent } from './evaluate-rules';
import { aucAlerts, driftAlerts } from './monitoring-alerts';
import { RuleDelivery } from './rule-delivery';
import type { WebhookSender } from './webhook-sender';

export interface AlertServiceOptions {
  store: Store;
  sender: WebhookSender;
  logger: Logger;
  clock?: () => Date;
}

export class AlertService {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly delivery: RuleDelivery;

  constructor(private readonly opts: AlertServiceOptions) {
    this.delivery = new RuleDelivery(opts);
  }

  /** Never throws and never delays the response that triggered it: delivery runs in the background. */
  onScored(event: ScoredEvent): void {
    this.track(this.process(event), 'alert processing failed');
  }

  /**
   * drift_above rules against a refreshed drift report. A rule fires at most once per model and UTC day of the
   * window's end (its claim), however often drift is refreshed and on however many replicas.
   */
  onDrift(report: DriftReport): void {
    this.track(
      (async () => {
        for (const [rule, d] of driftAlerts(await this.delivery.enabledRules(), report))
          await this.delivery.deliver(rule, d);
      })(),
      'drift alert processing failed',
    );
  }

  /** auc_below rules after feedback arrived: at most once per rule, model version and UTC day. */
  onFeedback(): void {
    this.track(
      (async () => {
        const rules = (await this.delivery.enabledRules()).filter((r) => r.condition.type === 'auc_below');
        // The labelled scores are read only when a rule needs them.
        if (rules.length === 0) return;
        const points = await this.opts.store.feedback.labelledScores();
        const now = (this.opts.clock ?? (() => new Date()))();
        for (const [rule, d] of aucAlerts(rules, points, now)) await this.delivery.deliver(rule, d);
      })(),
      'AUC alert processing failed',
    );
  }

  /** Waits for deliveries in progress (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<void>, failure: string): void {
    const task = work.catch((err: unknown) => this.opts.logger.error({ err }, failure));
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async process(event: ScoredEvent): Promise<void> {
    for (const rule of await this.delivery.enabledRules()) {
      const check = conditionHolds(rule.condition, event);
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
      // The same words scored on several replicas are one alert: the claim names the customer and the words.
      const claim = claimOf(event);
      await this.delivery.deliver(rule, { customerId: event.customerId, textId: event.textId, payload, claim });
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
