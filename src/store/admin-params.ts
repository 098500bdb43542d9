// Validation of the store's operational records (alerts, jobs, keys, themes) and query filters, shared by implementations.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import type { RiskDistributionQuery } from './dashboard-records';
import { textSources } from './input-params';
import type {
  AlertDeliveryInput,
  AlertDeliveryPatch,
  AlertRuleInput,
  ApiKeyInput,
  ApiKeyScope,
  DeliveryStatus,
  JobInput,
  JobPatch,
  JobState,
} from './records';
import type { ScoredTextQuery, ThemeInput } from './themes-records';
import {
  embeddingToBlob,
  optionalId,
  optionalText,
  requireBoolean,
  requireCount,
  requireId,
  requireOneOf,
  timestamp,
  toJson,
} from './values';

export const deliveryStatuses: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];
export const jobStates: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const apiKeyScopes: readonly ApiKeyScope[] = ['score', 'read', 'admin'];
export const MAX_RISK_BINS = 100;

export function alertRuleParams(input: AlertRuleInput) {
  return {
    name: requireId(input?.name, 'name'),
    condition: toJson(input.condition, 'condition'),
    action: toJson(input.action, 'action'),
    enabled: requireBoolean(input.enabled, 'enabled'),
  };
}

export function deliveryParams(input: AlertDeliveryInput) {
  return {
    id: randomUUID(),
    ruleId: requireId(input?.ruleId, 'ruleId'),
    customerId: optionalId(input.customerId, 'customerId'),
    textId: optionalId(input.textId, 'textId'),
    status: requireOneOf(input.status, deliveryStatuses, 'status'),
    attempts: requireCount(input.attempts, 'attempts'),
    lastError: optionalText(input.lastError, 'lastError'),
    payload: toJson(input.payload ?? null, 'payload'),
    now: new Date().toISOString(),
  };
}

/** The stored delivery with the patch applied; fields the patch leaves out keep their value. */
export function patchedDelivery(
  current: { status: DeliveryStatus; attempts: number; last_error: string | null },
  patch: AlertDeliveryPatch,
) {
  return {
    status: patch.status === undefined ? current.status : requireOneOf(patch.status, deliveryStatuses, 'status'),
    attempts: patch.attempts === undefined ? current.attempts : requireCount(patch.attempts, 'attempts'),
    lastError: patch.lastError === undefined ? current.last_error : optionalText(patch.lastError, 'lastError'),
    now: new Date().toISOString(),
  };
}

export function jobParams(input: JobInput) {
  return {
    id: input?.id === undefined ? randomUUID() : requireId(input.id, 'id'),
    state: input?.state === undefined ? 'queued' : requireOneOf(input.state, jobStates, 'state'),
    input: toJson(input?.input ?? null, 'input'),
    now: new Date().toISOString(),
  };
}

/** The patch validated; cursor and counts are undefined where the stored value is to be kept. */
export function jobPatchParams(current: { state: JobState; error: string | null }, patch: JobPatch) {
  return {
    state: patch.state === undefined ? current.state : requireOneOf(patch.state, jobStates, 'state'),
    cursor: patch.cursor === undefined ? undefined : toJson(patch.cursor, 'cursor'),
    counts: patch.counts === undefined ? undefined : toJson(patch.counts, 'counts'),
    error: patch.error === undefined ? current.error : optionalText(patch.error, 'error'),
    now: new Date().toISOString(),
  };
}

function requireScopes(value: unknown): ApiKeyScope[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ValidationError('scopes must be a non-empty array', { field: 'scopes' });
  return [...new Set(value.map((s, i) => requireOneOf(s, apiKeyScopes, `scopes[${i}]`)))];
}

function requireHash(value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
    throw new ValidationError('hash must be a SHA-256 digest in lower-case hex', { field: 'hash' });
  }
  return value;
}

export function apiKeyParams(input: ApiKeyInput) {
  return {
    id: requireId(input?.id, 'id'),
    hash: requireHash(input?.hash),
    name: requireId(input?.name, 'name'),
    scopes: JSON.stringify(requireScopes(input?.scopes)),
    rateLimit:
      input?.rateLimit === undefined || input.rateLimit === null ? null : requireCount(input.rateLimit, 'rateLimit', 1),
    createdAt: timestamp(input?.createdAt, 'createdAt'),
  };
}

export function themeRows(themes: readonly ThemeInput[], at?: string | Date) {
  const now = timestamp(at, 'at');
  return themes.map((t, i) => {
    if (!(t?.centroid instanceof Float32Array) || t.centroid.length === 0) {
      throw new ValidationError(`themes[${i}].centroid must be a non-empty Float32Array`, {
        field: `themes[${i}].centroid`,
      });
    }
    return {
      id: requireId(t.id, `themes[${i}].id`),
      centroid: embeddingToBlob(t.centroid),
      label: String(t.label ?? ''),
      keywords: toJson(t.keywords ?? [], `themes[${i}].keywords`),
      now,
    };
  });
}

export function distributionParams(query: RiskDistributionQuery) {
  const bins = query?.bins;
  if (typeof bins !== 'number' || !Number.isSafeInteger(bins) || bins < 1 || bins > MAX_RISK_BINS) {
    throw new ValidationError(`bins must be an integer from 1 to ${MAX_RISK_BINS}`, { field: 'bins' });
  }
  return {
    bins,
    from: query.from === undefined ? null : timestamp(query.from, 'from'),
    before: query.before === undefined ? null : timestamp(query.before, 'before'),
    source: query.source === undefined ? null : requireOneOf(query.source, textSources, 'source'),
  };
}

/** Bin counts from the database as the full histogram, empty bins included. */
export function histogram(bins: number, rows: readonly { bin: number; count: number }[]) {
  const counts = new Array<number>(bins).fill(0);
  for (const row of rows) counts[row.bin] = row.count;
  return {
    bins: counts.map((count, i) => ({ from: i / bins, to: (i + 1) / bins, count })),
    total: counts.reduce((a, b) => a + b, 0),
  };
}

export function scoredTextParams(query: ScoredTextQuery) {
  return {
    from: query.from === undefined ? null : timestamp(query.from, 'from'),
    to: query.to === undefined ? null : timestamp(query.to, 'to'),
    source: query.source === undefined ? null : requireOneOf(query.source, textSources, 'source'),
    segment: query.segment === undefined ? null : requireId(query.segment, 'segment'),
  };
}

/** The fixed window containing `now`: aligned to the epoch, so that every replica agrees on where it starts. */
export function rateWindow(key: string, windowMs: number, now: Date = new Date()) {
  requireId(key, 'key');
  const ms = requireCount(windowMs, 'windowMs', 1);
  const start = Math.floor(now.getTime() / ms) * ms;
  return { key, start: new Date(start).toISOString(), resetAt: new Date(start + ms).toISOString() };
}
