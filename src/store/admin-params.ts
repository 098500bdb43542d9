// Validation of the store's operational records (alerts, jobs, keys, themes) and query filters, shared by implementations.
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors';
import type {
  AlertClaimInput,
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
import type { ThemeInput } from './themes-records';
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

export function claimParams(input: AlertClaimInput) {
  return { ...deliveryParams(input), claim: requireId(input?.claim, 'claim') };
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
