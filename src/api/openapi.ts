// The OpenAPI 3.1 document, generated from the zod schemas that validate the requests (one source of truth).
import { z } from 'zod';
import { alertRulePatchSchema, alertRuleSchema, customerSchema, feedbackSchema, scoreBatchSchema, scoreItemSchema } from './schemas';

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const errorResponse = {
  description: 'The request was refused; the body says why and names the field',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const json = (schema: Record<string, unknown>) => ({ required: true, content: { 'application/json': { schema } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errors = { 400: errorResponse, 404: errorResponse, 413: errorResponse, 503: errorResponse };
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'churnscope', version, description: 'Churn risk from what customers write, fused with behavioural features.' },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } },
        },
        ScoreItem: schemaOf(scoreItemSchema),
        ScoreBatch: schemaOf(scoreBatchSchema),
        Customer: schemaOf(customerSchema),
        Feedback: schemaOf(feedbackSchema),
        AlertRule: schemaOf(alertRuleSchema),
        AlertRulePatch: schemaOf(alertRulePatchSchema),
      },
    },
    paths: {
      '/v1/score': { post: { summary: 'Score one text or up to 256 items', requestBody: json({ oneOf: [{ $ref: '#/components/schemas/ScoreItem' }, { $ref: '#/components/schemas/ScoreBatch' }] }), responses: { 200: ok('Risk, band, drivers and recommended actions'), ...errors } } },
      '/v1/customers/{id}': {
        parameters: [idParam('id')],
        put: { summary: 'Create or replace a customer\'s behavioural features', requestBody: json({ $ref: '#/components/schemas/Customer' }), responses: { 200: ok('The stored customer'), ...errors } },
        get: { summary: 'A customer\'s features', responses: { 200: ok('The customer'), 404: errorResponse } },
        delete: { summary: 'Erase a customer with all its texts, scores and feedback', responses: { 204: { description: 'Erased' }, 404: errorResponse } },
      },
      '/v1/customers/import': { post: { summary: 'Import customers from CSV (one row per customer)', requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } }, responses: { 200: ok('Counts of imported rows'), ...errors } } },
      '/v1/customers/{id}/risk': { parameters: [idParam('id')], get: { summary: 'Current fused risk and the history of scored texts', responses: { 200: ok('Risk and history'), 404: errorResponse } } },
      '/v1/feedback': { post: { summary: 'Record a real outcome or an agent override', requestBody: json({ $ref: '#/components/schemas/Feedback' }), responses: { 201: ok('Recorded'), ...errors } } },
      '/v1/metrics/model': { get: { summary: 'Live ROC-AUC and calibration on the feedback so far', responses: { 200: ok('Live metrics') } } },
      '/v1/alerts/rules': {
        get: { summary: 'List alert rules', responses: { 200: ok('Rules') } },
        post: { summary: 'Create an alert rule', requestBody: json({ $ref: '#/components/schemas/AlertRule' }), responses: { 201: ok('The rule'), ...errors } },
      },
      '/v1/alerts/rules/{id}': {
        parameters: [idParam('id')],
        get: { summary: 'One alert rule', responses: { 200: ok('The rule'), 404: errorResponse } },
        patch: { summary: 'Change an alert rule', requestBody: json({ $ref: '#/components/schemas/AlertRulePatch' }), responses: { 200: ok('The rule'), ...errors } },
        delete: { summary: 'Delete an alert rule', responses: { 204: { description: 'Deleted' }, 404: errorResponse } },
      },
      '/v1/alerts/log': { get: { summary: 'Webhook deliveries, newest first', responses: { 200: ok('Deliveries') } } },
      '/v1/models': { get: { summary: 'Known model versions and the active one', responses: { 200: ok('Models') } } },
      '/v1/models/{version}/activate': { parameters: [idParam('version')], post: { summary: 'Hot-swap the active model', responses: { 200: ok('The active model'), 404: errorResponse, 409: errorResponse } } },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: ok('Alive') } } },
      '/readyz': { get: { summary: 'Readiness: model loaded, database open', responses: { 200: ok('Ready'), 503: errorResponse } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'Text exposition format' } } } },
    },
  };
}
