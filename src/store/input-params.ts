// Validates what callers hand the store and turns it into column values, once for every implementation.
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../errors';
import { TEXT_SOURCES } from '../text/text-source';
import type {
  Band,
  CustomerInput,
  FeedbackInput,
  ModelInput,
  Outcome,
  ScoreInput,
  TextInput,
  TextSource,
} from './records';
import {
  embeddingToBlob,
  optionalId,
  optionalText,
  requireCount,
  requireId,
  requireOneOf,
  requirePlainObject,
  requireProbability,
  timestamp,
  toJson,
} from './values';

export const textSources: readonly TextSource[] = TEXT_SOURCES;
export const riskBands: readonly Band[] = ['low', 'medium', 'high', 'critical'];
export const outcomes: readonly Outcome[] = ['churned', 'retained', 'override'];
/** Characters of a text that score history shows. */
export const snippetChars = 120;

export interface CustomerParams {
  id: string;
  features: string;
  /** The input left segment out: an update keeps the stored one. */
  keepSegment: boolean;
  segment: string | null;
  now: string;
}

export function customerParams(input: CustomerInput, now: string): CustomerParams {
  return {
    id: requireId(input?.id, 'id'),
    features: toJson(requirePlainObject(input.features, 'features'), 'features'),
    keepSegment: input.segment === undefined,
    segment: optionalText(input.segment, 'segment'),
    now,
  };
}

/** Validates every row before anything is written, naming the row at fault. */
export function customerRows(rows: readonly CustomerInput[], now: string): CustomerParams[] {
  // Checked through an unknown alias: Array.isArray on `rows` itself would narrow it to any[] below.
  const given: unknown = rows;
  if (!Array.isArray(given)) throw new ValidationError('rows must be an array', { field: 'rows' });
  return rows.map((row, i) => {
    try {
      return customerParams(row, now);
    } catch (e) {
      if (e instanceof ValidationError)
        throw new ValidationError(`row ${i}: ${e.message}`, { field: e.field, row: i, cause: e });
      throw e;
    }
  });
}

export function textParams(input: TextInput) {
  return {
    id: input?.id === undefined ? randomUUID() : requireId(input.id, 'id'),
    customerId: optionalId(input.customerId, 'customerId'),
    source: requireOneOf(input.source, textSources, 'source'),
    text: optionalText(input.text, 'text'),
    hash: requireId(input.hash, 'hash'),
    snippet: optionalText(input.snippet, 'snippet'),
    createdAt: timestamp(input.createdAt, 'createdAt'),
  };
}

export function scoreParams(input: ScoreInput) {
  return {
    textId: requireId(input?.textId, 'textId'),
    modelVersion: requireId(input.modelVersion, 'modelVersion'),
    risk: requireProbability(input.risk, 'risk'),
    textRisk: requireProbability(input.textRisk, 'textRisk'),
    tabularRisk:
      input.tabularRisk === null || input.tabularRisk === undefined
        ? null
        : requireProbability(input.tabularRisk, 'tabularRisk'),
    band: requireOneOf(input.band, riskBands, 'band'),
    drivers: toJson(input.drivers ?? null, 'drivers'),
    embedding: embeddingToBlob(input.embedding),
    tokens: optionalCount(input.tokens, 'tokens'),
    rareShare: optionalShare(input.rareShare, 'rareShare', 1),
    centroidDistance: optionalShare(input.centroidDistance, 'centroidDistance', 2),
    createdAt: timestamp(input.createdAt, 'createdAt'),
  };
}

function optionalCount(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : requireCount(value, field);
}

/** A share in [0, 1] or a cosine distance in [0, 2] (rounding can put a distance a hair below 0: clamped). */
function optionalShare(value: unknown, field: string, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1e-6 || value > max + 1e-6) {
    throw new ValidationError(`${field} must be a number from 0 to ${max}`, { field });
  }
  return Math.min(max, Math.max(0, value));
}

export function feedbackParams(input: FeedbackInput) {
  const customerId = optionalId(input?.customerId, 'customerId');
  const textId = optionalId(input.textId, 'textId');
  if (customerId === null && textId === null) {
    throw new ValidationError('feedback needs a customerId or a textId', { field: 'customerId' });
  }
  const outcome = requireOneOf(input.outcome, outcomes, 'outcome');
  const given = input.overrideRisk !== undefined && input.overrideRisk !== null;
  if (outcome === 'override' && !given)
    throw new ValidationError('an override needs overrideRisk', { field: 'overrideRisk' });
  if (outcome !== 'override' && given)
    throw new ValidationError(`overrideRisk is only for overrides, not ${outcome}`, { field: 'overrideRisk' });
  return {
    id: randomUUID(),
    customerId,
    textId,
    outcome,
    overrideRisk: given ? requireProbability(input.overrideRisk, 'overrideRisk') : null,
    note: optionalText(input.note, 'note'),
    at: timestamp(input.at, 'at'),
  };
}

/** Feedback on a text is stored with the text's customer, so that erasing the customer finds it without the text. */
export function feedbackOwner(
  params: { textId: string | null; customerId: string | null },
  text: { customer_id: string | null } | undefined,
): string | null {
  if (params.textId === null) return params.customerId;
  if (!text) throw new NotFoundError(`text ${params.textId} does not exist`, { field: 'textId' });
  if (params.customerId !== null && text.customer_id !== null && params.customerId !== text.customer_id) {
    throw new ValidationError(`text ${params.textId} belongs to another customer`, { field: 'customerId' });
  }
  return params.customerId ?? text.customer_id;
}

export function modelParams(input: ModelInput) {
  return {
    version: requireId(input?.version, 'version'),
    path: requireId(input.path, 'path'),
    metrics: toJson(input.metrics ?? null, 'metrics'),
    at: new Date().toISOString(),
  };
}

export function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
