// Alert rules (CRUD) and the log of every webhook delivery.
import { Router } from 'express';
import { NotFoundError } from '../../errors';
import type { Store } from '../../store';
import { alertRulePatchSchema, alertRuleSchema } from '../schemas';
import { parseOr400 } from '../validate';

/** Secrets are write-only: responses show that one is set, never its value. */
function redact<T extends { action: unknown }>(rule: T): T {
  const action = rule.action as Record<string, unknown>;
  return { ...rule, action: { ...action, secret: action.secret ? '***' : undefined } };
}

export function alertsRouter(deps: { store: Store }): Router {
  const router = Router();
  const found = async (id: string) => {
    const rule = await deps.store.alertRules.get(id);
    if (!rule) throw new NotFoundError(`alert rule "${id}" not found`, { field: 'id' });
    return rule;
  };

  router.get('/v1/alerts/rules', async (_req, res) => {
    res.json({ rules: (await deps.store.alertRules.list()).map(redact) });
  });
  router.post('/v1/alerts/rules', async (req, res) => {
    res.status(201).json(redact(await deps.store.alertRules.create(parseOr400(alertRuleSchema, req.body))));
  });
  router.get('/v1/alerts/rules/:id', async (req, res) => {
    res.json(redact(await found(req.params.id)));
  });
  router.patch('/v1/alerts/rules/:id', async (req, res) => {
    await found(req.params.id);
    res.json(redact(await deps.store.alertRules.update(req.params.id, parseOr400(alertRulePatchSchema, req.body))));
  });
  router.delete('/v1/alerts/rules/:id', async (req, res) => {
    await found(req.params.id);
    await deps.store.alertRules.delete(req.params.id);
    res.status(204).end();
  });
  router.get('/v1/alerts/log', async (req, res) => {
    const ruleId = typeof req.query.ruleId === 'string' ? req.query.ruleId : undefined;
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100));
    res.json({ deliveries: await deps.store.alertLog.list({ ruleId, limit }) });
  });
  return router;
}
