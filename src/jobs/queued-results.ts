// A queued job's results (or errors) as the text of the file an in-process job would have written, read page by page from the database.
import { stringify } from 'csv-stringify/sync';
import type { JobQueue, JobRecord } from '../store';
import type { JobSpec } from './job-spec';
import { queuedCursorSchema } from './queued-jobs';
import { SCORE_COLUMNS } from './score-file';

const PAGE_ROWS = 1000;

/** In input order, up to the first chunk not yet done: a reader never sees a gap that a later chunk would fill. */
export async function* queuedResultText(
  queue: Pick<JobQueue, 'results'>,
  rec: Pick<JobRecord, 'id' | 'cursor'>,
  spec: Pick<JobSpec, 'output'>,
  which: 'results' | 'errors',
): AsyncGenerator<string> {
  const cursor = queuedCursorSchema.safeParse(rec.cursor);
  const inputColumns = cursor.success ? cursor.data.columns : null;
  let columns: string[] | undefined;
  let from = 0;
  for (;;) {
    const page = await queue.results(rec.id, { from, limit: PAGE_ROWS });
    if (page.length === 0) return;
    from = page[page.length - 1].rowIndex + 1;
    if (which === 'errors') {
      const lines = page
        .filter((r) => r.error !== null)
        .map((r) => `${JSON.stringify({ line: r.line, reason: r.error })}\n`);
      if (lines.length) yield lines.join('');
      continue;
    }
    const rows = page.flatMap((r) => (r.output ? [r.output] : []));
    if (rows.length === 0) continue;
    if (spec.output === 'jsonl') {
      yield rows.map((r) => `${JSON.stringify(r)}\n`).join('');
      continue;
    }
    const header = columns === undefined;
    columns ??= [
      ...(inputColumns ?? Object.keys(rows[0])).filter((c) => !(SCORE_COLUMNS as readonly string[]).includes(c)),
      ...SCORE_COLUMNS,
    ];
    yield stringify(rows, { columns, header, cast: { object: (v) => JSON.stringify(v) } });
  }
}
