// Counts a file's records (good and bad) with the same reader the job uses, so "rows total" means what "rows done" counts.
import { readRows } from '../ingest';

export async function countRecords(opts: {
  file: string;
  textColumn: string;
  signal?: AbortSignal;
}): Promise<number | null> {
  let n = 0;
  for await (const _ of readRows({ file: opts.file, textColumn: opts.textColumn })) {
    if (opts.signal?.aborted) return null;
    n++;
  }
  return n;
}
