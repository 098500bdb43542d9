// The scopes an API key can hold and what each grants: admin implies every other scope.
import { ValidationError } from '../errors';
import type { ApiKeyScope } from '../store';

export type Scope = ApiKeyScope;

export const SCOPES: readonly Scope[] = ['score', 'read', 'admin'];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** "score,read" → ['score', 'read']; unknown names are refused with the valid ones listed. */
export function parseScopes(text: string, field = 'scopes'): Scope[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0)
    throw new ValidationError(`${field} is empty; give one or more of ${SCOPES.join(', ')}`, { field });
  const unknown = names.filter((n) => !isScope(n));
  if (unknown.length > 0) {
    throw new ValidationError(
      `${field}: unknown scope ${unknown.map((u) => `"${u}"`).join(', ')}; valid scopes are ${SCOPES.join(', ')}`,
      { field },
    );
  }
  return [...new Set(names as Scope[])];
}

export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}
