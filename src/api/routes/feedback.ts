// Real outcomes (churned / retained, or an agent's override) and the live model metrics they make possible.
import { Router } from 'express';
import { NotFoundError } from '../../errors';
import { brierScore, calibrationBins, expectedCalibrationError, rocAuc } from '../../metrics';
import { DEFAULT_PRIVACY_POLICY, redact, type PrivacyPolicy } from '../../privacy';
import type { Store } from '../../store';
import { feedbackSchema } from '../schemas';
import { parseOr400 } from '../validate';

export function feedbackRouter(deps: { store: Store; privacy?: PrivacyPolicy }): Router {
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
    res.status(201).json({ id });
  });

  router.get('/v1/metrics/model', async (_req, res) => {
    const points = await deps.store.feedback.labelledScores();
    const risks = points.map((p) => p.risk);
    const labels = points.map((p) => p.label);
    const positives = labels.filter(Boolean).length;
    const enough = positives > 0 && positives < points.length;
    res.json({
      n: points.length,
      positives,
      rocAuc: enough ? rocAuc(risks, labels) : null,
      brier: points.length ? brierScore(risks, labels) : null,
      ece: points.length ? expectedCalibrationError(risks, labels) : null,
      calibration: points.length ? calibrationBins(risks, labels, 10) : [],
      note: enough ? undefined : 'ROC-AUC needs feedback of both outcomes (churned and retained) on scored texts',
    });
  });
  return router;
}
