// Validates a raw playbook object, turning zod's issues into one ConfigError that names each rule index and field.
import type { z } from 'zod';
import { ConfigError } from '../errors';
import { playbookSchema, type PlaybookSpec } from './playbook-schema';

export function parsePlaybook(raw: unknown, file?: string): PlaybookSpec {
  const parsed = playbookSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const where = pathOf(issues[0].path);
  const detail = issues.map((i) => `${pathOf(i.path) || '(root)'}: ${describe(i, raw)}`).join('; ');
  throw new ConfigError(`invalid playbook${file ? ` ${file}` : ''}: ${detail}`, {
    field: where,
    file,
    cause: parsed.error,
  });
}

/** rules[2].when.driverMatches[0]: the same spelling a person would use to find the spot in the JSON. */
export function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

// The rule's id, when it has one, makes "rules[7]" findable in a long file without counting.
function describe(issue: z.core.$ZodIssue, raw: unknown): string {
  const [top, index] = issue.path;
  if (top !== 'rules' || typeof index !== 'number') return issue.message;
  const rules = (raw as { rules?: unknown }).rules;
  const id = Array.isArray(rules) ? (rules[index] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && id ? `${issue.message} (rule "${id}")` : issue.message;
}
