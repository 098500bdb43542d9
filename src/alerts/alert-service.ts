// Early warning: after each scored text, evaluates the enabled rules and delivers webhooks in the background, logging every delivery.
import { createHash } from 'node:crypto';
import type { DriftReport } from '../drift';
import type { Logger } from '../logging';
import type { Store } from '../store';
import { alertActionSchema, alertConditionSchema, type AlertAction } from './alert-schemas';
import { aucBelow, conditionHolds, driftSignalsAbove, type ScoredEvent } from './evaluate-rules';
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
    this.track(this.process(event).catch((err: unknown) => this.opts.logger.error({ err }, 'alert processing failed')));
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async processDrift(report: DriftReport): Promise<void> {
    if (!report.reference) return;
    for (const rule of await this.enabledRules()) {
      if (rule.condition.type !== 'drift_above') continue;
      const above = driftSignalsAbove(rule.condition, report);
      if (above.length === 0) continue;
      const payload = {
        rule: { id: rule.id, name: rule.name },
        reason: above.map((s) => `${s.name} PSI ${s.psi.toFixed(3)} > ${s.threshold}`).join('; '),
        model: report.model,
        window: report.window,
        signals: above,
        at: report.window.to,
      };
      const claim = createHash('sha256')
        .update(JSON.stringify(['drift', report.model, report.window.to.slice(0, 10)]))
        .digest('hex');
      await this.deliver(rule, { customerId: null, textId: null, payload, claim });
    }
  }

  /** Enabled rules that still parse; a row that no longer does (older format) is skipped, not fatal. */
  private async enabledRules() {
    const rules = (await this.opts.store.alertRules.list()).filter((r) => r.enabled);
    const parsed = [];
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
  private async deliver(
    rule: { id: string; action: AlertAction },
    d: { customerId: string | null; textId: string | null; payload: unknown; claim: string | undefined },
  ): Promise<void> {
    const delivery = {
      ruleId: rule.id,
      customerId: d.customerId,
      textId: d.textId,
      status: 'pending' as const,
      attempts: 0,
      payload: d.payload,
    };
    const id = d.claim
      ? await this.opts.store.alertLog.claim({ ...delivery, claim: d.claim })
      : await this.opts.store.alertLog.record(delivery);
    if (id === null) {
      this.opts.logger.debug({ ruleId: rule.id, textId: d.textId }, 'alert already claimed by another writer');
      return;
    }
    const result = await this.opts.sender.send({ url: rule.action.url, secret: rule.action.secret }, d.payload);
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

  /**
   * Checks drift_above rules against a refreshed drift report, in the background like onScored. A rule fires at most
   * once per model and UTC day of the window's end (its claim), however often drift is refreshed or on how many replicas.
   */
  onDrift(report: DriftReport): void {
    this.track(
      this.processDrift(report).catch((err: unknown) =>
        this.opts.logger.error({ err }, 'drift alert processing failed'),
      ),
    );
  }

  /**
   * Checks auc_below rules after feedback arrived, in the background. Each (rule, model version) fires at most once per
   * UTC day; the labelled scores are read only when such a rule exists.
   */
  onFeedback(): void {
    this.track(
      this.processFeedback().catch((err: unknown) => this.opts.logger.error({ err }, 'AUC alert processing failed')),
    );
  }

  private async processFeedback(): Promise<void> {
    const rules = (await this.enabledRules()).filter((r) => r.condition.type === 'auc_below');
    if (rules.length === 0) return;
    const points = await this.opts.store.feedback.labelledScores();
    const at = new Date().toISOString();
    for (const rule of rules) {
      if (rule.condition.type !== 'auc_below') continue;
      for (const low of aucBelow(rule.condition, points)) {
        const payload = {
          rule: { id: rule.id, name: rule.name },
          reason: `live ROC-AUC ${low.rocAuc.toFixed(3)} < ${rule.condition.threshold} over ${low.n} labelled scores`,
          ...low,
          threshold: rule.condition.threshold,
          at,
        };
        const claim = createHash('sha256')
          .update(JSON.stringify(['auc', low.modelVersion, at.slice(0, 10)]))
          .digest('hex');
        await this.deliver(rule, { customerId: null, textId: null, payload, claim });
      }
    }
  }

  /** Waits for deliveries in progress (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async process(event: ScoredEvent): Promise<void> {
    for (const rule of await this.enabledRules()) {
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
      await this.deliver(rule, { customerId: event.customerId, textId: event.textId, payload, claim: claimOf(event) });
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
