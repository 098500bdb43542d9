// Parses a request part with a zod schema; the first issue becomes a ValidationError naming the field.
import type { z } from 'zod';
import { ValidationError } from '../errors';

export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'body';
}

export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `${prefix}${prefix && issue.path.length ? '.' : ''}${fieldOf(issue.path)}`;
    throw new ValidationError(`${field}: ${issue.message}`, { field });
  }
  return parsed.data;
}
