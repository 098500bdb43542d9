// One raw cell (a CSV string or any JSON Lines value) as text, so no reader prints "[object Object]" for a JSON value.

/** Missing (undefined/null) is '', scalars are written as they are, arrays and objects as JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  // JSON.stringify gives undefined for functions and symbols, which no data file can hold.
  return JSON.stringify(value) ?? '';
}
