// Real outcomes (churned / retained, or an agent's override) and the live model metrics they make possible.
import { Router } from 'express';
import type { AlertService } from '../../alerts';
import { NotFoundError } from '../../errors';
import { qualityByModel, qualitySummary, shadowQuality } from '../../metrics';
import { DEFAULT_PRIVACY_POLICY, redact, type PrivacyPolicy } from '../../privacy';
import type { Store } from '../../store';
import { feedbackSchema } from '../schemas';
import { parseOr400 } from '../validate';

export function feedbackRouter(deps: { store: Store; privacy?: PrivacyPolicy; alerts?: AlertService }): Router {
  const router = Router();

  router.post('/v1/feedback', async (req, res) => {
    const body = parseOr400(feedbackSchema, req.body);
    if (body.textId && !(await deps.store.texts.get(body.textId)))
      throw new NotFoundError(`text "${body.textId}" not found`, { field: 'textId' });
    if (body.customerId && !body.textId && !(await deps.store.customers.get(body.customerId))) {
      const history = await deps.store.scores.history(body.customerId, { limit: 1 });
      if (history.length === 0)
        throw new NotFoundError(`customer "${body.customerId}" not found`, { field: 'customerId' });
    }
    // An agent's note can quote the customer (an e-mail, a card number): it is kept under the texts' policy.
    const keepRaw = (deps.privacy ?? DEFAULT_PRIVACY_POLICY).storeText === 'full';
    const note = body.note === undefined || keepRaw ? body.note : redact(body.note).text;
    const id = await deps.store.feedback.insert({ ...body, note });
    deps.alerts?.onFeedback();
    res.status(201).json({ id });
  });

  // Overall (every model's scores together, as before), then per model version and, within each, per text source.
  // `shadow`: per shadow model, its figures, the served model's text risk on the same outcomes, and the paired difference.
  router.get('/v1/metrics/model', async (_req, res) => {
    const [points, shadow] = await Promise.all([
      deps.store.feedback.labelledScores(),
      deps.store.shadowScores.labelledScores(),
    ]);
    res.json({ ...qualitySummary(points), byModel: qualityByModel(points), shadow: shadowQuality(shadow) });
  });
  return router;
}
