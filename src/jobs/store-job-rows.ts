// Stores a job's scored rows as texts + scores (with embeddings) for the themes engine; idempotent per input line, so a resumed chunk is stored once.
import { toTimestamp } from '../ingest';
import { prepareForStorage, type PrivacyPolicy } from '../privacy';
import type { Band, Store } from '../store';
import type { JobSpec } from './job-spec';
import type { ScoredRow } from './score-chunk';

export interface StoreJobRowsContext {
  store: Store;
  jobId: string;
  spec: Pick<JobSpec, 'textCol' | 'source' | 'customerCol' | 'timeCol'>;
  modelVersion: string;
  now: () => Date;
  /** What is kept of each text (default: redacted), exactly as for online scoring. */
  privacy?: PrivacyPolicy;
}

/** The text id of an input line: stable across restarts, which is what makes re-storing a chunk harmless. */
export function jobTextId(jobId: string, line: number): string {
  return `job-${jobId}-${line}`;
}

export async function storeJobRows(ctx: StoreJobRowsContext, rows: readonly ScoredRow[]): Promise<void> {
  const now = ctx.now();
  await ctx.store.transaction(async (tx) => {
    for (const row of rows) {
      const id = jobTextId(ctx.jobId, row.line);
      const kept = prepareForStorage(String(row.values[ctx.spec.textCol]), ctx.privacy);
      const createdAt = timeOf(row.values, ctx.spec.timeCol) ?? now;
      // Not check-then-insert: two writers of the same chunk (a resumed job, another replica) would both pass the
      // check; the insert itself decides, and only its winner scores the text.
      const stored = await tx.texts.insertIfAbsent({
        id,
        customerId: customerOf(row.values, ctx.spec.customerCol),
        source: ctx.spec.source,
        text: kept.text,
        hash: kept.hash,
        snippet: kept.snippet,
        createdAt,
      });
      if (!stored) continue;
      await tx.scores.insert({
        textId: id,
        modelVersion: ctx.modelVersion,
        risk: row.risk,
        textRisk: row.textRisk,
        tabularRisk: row.tabularRisk,
        band: row.output.band as Band,
        drivers: { phrases: [], features: [] },
        embedding: row.embedding,
        createdAt,
      });
    }
  });
}

/** The customer a row names in the job's customer column, or null. */
export function customerOf(values: Record<string, unknown>, column: string | undefined): string | null {
  if (!column) return null;
  const v = values[column];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
}

/** A row's own time when it names one (score-chunk already refused rows whose time cell is not a time); else the job's. */
function timeOf(values: Record<string, unknown>, column: string | undefined): Date | undefined {
  return column ? toTimestamp(values[column]) : undefined;
}
