// JSON Lines, one object per line, each with its 1-based line number; a bad line is reported, and the caller decides whether that is fatal.
import readline from 'node:readline';
import type { Readable } from 'node:stream';

export type JsonlLine =
  | { line: number; values: Record<string, unknown>; problem?: undefined }
  | { line: number; values?: undefined; problem: string };

export async function* jsonlLines(stream: Readable): AsyncGenerator<JsonlLine> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (!text.trim()) continue;
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (e) {
      yield { line: n, problem: `not valid JSON (${(e as Error).message})` };
      continue;
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      yield { line: n, problem: 'each line must be a JSON object' };
      continue;
    }
    yield { line: n, values: values as Record<string, unknown> };
  }
}
