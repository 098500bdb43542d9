// The OpenAPI 3.1 document, generated from the zod schemas that validate the requests (one source of truth).
import { z } from 'zod';
import { atRiskQuerySchema, riskDistributionQuerySchema } from './routes/dashboard-data';
import { driftQuerySchema } from './routes/monitoring';
import { themeFiltersSchema, themeProbeSchema } from '../themes';
import { jobOptionsSchema } from '../jobs';
import {
  alertRulePatchSchema,
  alertRuleSchema,
  customerSchema,
  feedbackSchema,
  scoreBatchSchema,
  scoreItemSchema,
} from './schemas';

function schemaOf(s: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}

const errorResponse = {
  description: 'The request was refused; the body says why and names the field',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const json = (schema: Record<string, unknown>) => ({ required: true, content: { 'application/json': { schema } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const okRef = (description: string, name: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});
/** How a loaded model runs: the file engine.precision chose for the provider that opened it. */
const servingSchema = {
  type: 'object',
  required: ['provider', 'precision', 'modelFile'],
  properties: {
    provider: { type: 'string', description: 'Execution provider: cpu or cuda' },
    precision: { type: 'string', enum: ['fp32', 'int8'] },
    modelFile: { type: 'string', description: 'Bundle-relative ONNX file, e.g. onnx/model_quantized.onnx' },
  },
};
const errors = { 400: errorResponse, 404: errorResponse, 413: errorResponse, 503: errorResponse };
/** Query-string parameters from a zod object schema, each optional field as one parameter. */
function queryParams(schema: z.ZodType): Record<string, unknown>[] {
  const props = (schemaOf(schema).properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: 'query',
    required: false,
    schema: p,
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
}
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'churnscope',
      version,
      description: 'Churn risk from what customers write, fused with behavioural features.',
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
            },
          },
        },
        ScoreItem: schemaOf(scoreItemSchema),
        ScoreBatch: schemaOf(scoreBatchSchema),
        ThemeProbe: schemaOf(themeProbeSchema),
        Customer: schemaOf(customerSchema),
        Feedback: schemaOf(feedbackSchema),
        AlertRule: schemaOf(alertRuleSchema),
        AlertRulePatch: schemaOf(alertRulePatchSchema),
        Serving: servingSchema,
        Models: {
          type: 'object',
          required: ['active', 'models'],
          properties: {
            active: { type: 'string' },
            models: {
              type: 'array',
              items: {
                type: 'object',
                required: ['version', 'dir', 'active'],
                properties: {
                  version: { type: 'string' },
                  dir: { type: 'string' },
                  active: { type: 'boolean' },
                  loaded: {
                    description: 'Present while the model is open: the active one, or a previous one still held',
                    allOf: [{ $ref: '#/components/schemas/Serving' }],
                    type: 'object',
                    properties: {
                      holders: { type: 'integer', description: 'Requests and jobs holding this model now' },
                    },
                  },
                },
              },
            },
            sync: {
              description:
                'Present when the server follows the store: the version stored as active and, while this replica ' +
                'cannot serve that version, why (it keeps serving its own)',
              type: 'object',
              properties: {
                stored: { type: ['string', 'null'] },
                mismatch: {
                  type: 'object',
                  required: ['version', 'reason', 'since'],
                  properties: {
                    version: { type: 'string' },
                    reason: { type: 'string' },
                    since: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths: {
      '/v1/score': {
        post: {
          summary: 'Score one text or up to 256 items',
          requestBody: json({
            oneOf: [{ $ref: '#/components/schemas/ScoreItem' }, { $ref: '#/components/schemas/ScoreBatch' }],
          }),
          responses: { 200: ok('Risk, band, drivers and recommended actions'), ...errors },
        },
      },
      '/v1/customers/{id}': {
        parameters: [idParam('id')],
        put: {
          summary: "Create or replace a customer's behavioural features",
          requestBody: json({ $ref: '#/components/schemas/Customer' }),
          responses: { 200: ok('The stored customer'), ...errors },
        },
        get: { summary: "A customer's features", responses: { 200: ok('The customer'), 404: errorResponse } },
        delete: {
          summary: 'Erase a customer with all its texts, scores and feedback',
          responses: { 204: { description: 'Erased' }, 404: errorResponse },
        },
      },
      '/v1/customers/import': {
        post: {
          summary: 'Import customers from CSV (one row per customer)',
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: { 200: ok('Counts of imported rows'), ...errors },
        },
      },
      '/v1/customers/{id}/risk': {
        parameters: [idParam('id')],
        get: {
          summary: 'Current fused risk and the history of scored texts',
          responses: { 200: ok('Risk and history'), 404: errorResponse },
        },
      },
      '/v1/feedback': {
        post: {
          summary: 'Record a real outcome or an agent override',
          requestBody: json({ $ref: '#/components/schemas/Feedback' }),
          responses: { 201: ok('Recorded'), ...errors },
        },
      },
      '/v1/metrics/model': {
        get: {
          summary:
            'Live ROC-AUC and calibration on the feedback so far, per model, with the shadow model(s) in `shadow`',
          responses: { 200: ok('Live metrics') },
        },
      },
      '/v1/alerts/rules': {
        get: { summary: 'List alert rules', responses: { 200: ok('Rules') } },
        post: {
          summary: 'Create an alert rule',
          requestBody: json({ $ref: '#/components/schemas/AlertRule' }),
          responses: { 201: ok('The rule'), ...errors },
        },
      },
      '/v1/alerts/rules/{id}': {
        parameters: [idParam('id')],
        get: { summary: 'One alert rule', responses: { 200: ok('The rule'), 404: errorResponse } },
        patch: {
          summary: 'Change an alert rule',
          requestBody: json({ $ref: '#/components/schemas/AlertRulePatch' }),
          responses: { 200: ok('The rule'), ...errors },
        },
        delete: { summary: 'Delete an alert rule', responses: { 204: { description: 'Deleted' }, 404: errorResponse } },
      },
      '/v1/alerts/log': { get: { summary: 'Webhook deliveries, newest first', responses: { 200: ok('Deliveries') } } },
      '/v1/models': {
        get: {
          summary: 'Known model versions, the active one, and the provider, precision and file of each open model',
          responses: { 200: okRef('Models', 'Models') },
        },
      },
      '/v1/models/{version}/activate': {
        parameters: [idParam('version')],
        post: {
          summary: 'Hot-swap the active model (the previous one is released when the work holding it ends)',
          responses: {
            200: {
              description: 'The active model',
              content: {
                'application/json': {
                  schema: {
                    allOf: [{ $ref: '#/components/schemas/Serving' }],
                    type: 'object',
                    properties: { active: { type: 'string' }, dir: { type: 'string' } },
                  },
                },
              },
            },
            404: errorResponse,
            409: errorResponse,
          },
        },
      },
      '/v1/stats/risk-distribution': {
        get: {
          summary: 'How scored texts spread over risk (each text by its newest score)',
          parameters: queryParams(riskDistributionQuerySchema),
          responses: { 200: ok('{ bins: [{ from, to, count }], total }'), 400: errorResponse },
        },
      },
      '/v1/monitoring/drift': {
        get: {
          summary:
            "Drift of the window's scored texts against the active bundle's reference (PSI and KS per signal); " +
            'reference: null with the reason for a bundle without drift-reference.json',
          parameters: queryParams(driftQuerySchema),
          responses: {
            200: ok(
              '{ model, reference, window: { from, to, count }, signals: [{ name, psi, ks, threshold, drifted, count }] }',
            ),
            400: errorResponse,
            422: errorResponse,
          },
        },
      },
      '/v1/customers/at-risk': {
        get: {
          summary: 'Customers riskiest first, by the score of their newest text, with segment and top drivers',
          parameters: queryParams(atRiskQuerySchema),
          responses: {
            200: ok('{ customers: [{ id, risk, band, segment, lastTextAt, drivers }] }'),
            400: errorResponse,
          },
        },
      },
      '/v1/models/active/card': {
        get: {
          summary:
            "The active bundle's model-card.json (metrics, ROC / PR / calibration curves), plus `serving`: how this server runs it",
          responses: {
            200: {
              description: 'The model card',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      serving: {
                        allOf: [{ $ref: '#/components/schemas/Serving' }],
                        type: 'object',
                        properties: { version: { type: 'string' } },
                      },
                    },
                  },
                },
              },
            },
            404: errorResponse,
          },
        },
      },
      '/': {
        get: {
          summary: 'The dashboard (HTML page; its scripts and styles are under /dashboard/)',
          responses: { 200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/v1/themes': {
        get: {
          summary:
            'Themes of dissatisfied texts: keywords, quotes, size, mean risk, churn lift, weekly counts; ids stable across refits',
          parameters: queryParams(themeFiltersSchema),
          responses: {
            200: ok('{ themes, unassignedShare, totalTexts, dissatisfiedTexts, computedAt, filters }'),
            400: errorResponse,
          },
        },
      },
      '/v1/themes/probe': {
        post: {
          summary: 'The stored texts nearest a query, their share of dissatisfied texts, mean risk and weekly trend',
          requestBody: json({ $ref: '#/components/schemas/ThemeProbe' }),
          responses: { 200: ok('{ query, matches, shareOfDissatisfied, meanRisk, weekly }'), ...errors },
        },
      },
      '/v1/jobs': {
        post: {
          summary:
            'Start a batch-scoring job: upload CSV / JSON Lines (raw body, gzip detected, or multipart field `file`), or name an allowed server-side file',
          parameters: queryParams(jobOptionsSchema),
          requestBody: {
            required: true,
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: { type: 'string' } },
              'multipart/form-data': {
                schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
              },
              'application/json': {
                schema: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
              },
            },
          },
          responses: { 202: ok('{ id, state, status, results, errors }'), ...errors, 415: errorResponse },
        },
        get: {
          summary: 'Jobs, newest first',
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          ],
          responses: { 200: ok('{ jobs: JobStatus[] }'), 400: errorResponse },
        },
      },
      '/v1/jobs/{id}': {
        parameters: [idParam('id')],
        get: {
          summary: 'State, rows done / total, rows/s, error count',
          responses: { 200: ok('JobStatus'), 404: errorResponse },
        },
        delete: {
          summary: 'Cancel a queued or running job (its results so far stay readable)',
          responses: { 200: ok('JobStatus'), 404: errorResponse, 409: errorResponse },
        },
      },
      '/v1/jobs/{id}/results': {
        parameters: [idParam('id')],
        get: {
          summary: 'Scored rows so far, streamed (CSV or JSON Lines)',
          responses: {
            200: { description: 'Every input column plus risk, band, textRisk, rawProbability' },
            404: errorResponse,
          },
        },
      },
      '/v1/jobs/{id}/errors': {
        parameters: [idParam('id')],
        get: {
          summary: 'Bad rows as JSON Lines: { line, reason }',
          responses: { 200: { description: 'JSON Lines' }, 404: errorResponse },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: ok('Alive') } } },
      '/readyz': {
        get: { summary: 'Readiness: model loaded, database open', responses: { 200: ok('Ready'), 503: errorResponse } },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { 200: { description: 'Text exposition format' } } },
      },
    },
  };
}
