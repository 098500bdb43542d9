// Batch scoring of one file: streams rows, scores them in chunks with two in flight, and commits output, errors and progress in input order.
import fs from 'node:fs';
import type { InferenceEngine } from '../engine';
import type { RiskCalibrator } from '../score';
import { errorsPath, writeProgress, type JobProgress } from './progress-file';
import { readRows, type RowItem } from '../ingest';
import { resumePoint } from './resume-point';
import { RiskSummary, type RiskDistribution } from './risk-summary';
import type { RetryPolicy } from './retry-transient';
import { RowWriter, writeAll } from './row-writer';
import { scoreChunk, type ScoredRow } from './score-chunk';

/** The columns a scored file gains; each name means what it means online (see the README glossary). */
export const SCORE_COLUMNS = ['risk', 'band', 'textRisk', 'tabularRisk', 'rawProbability', 'phrases'] as const;

export interface ScoreFileOptions {
  input: string;
  output: string;
  textColumn: string;
  idColumn?: string;
  /** Column holding each row's time (ISO-8601 or epoch); a cell that is not a time is that row's error. */
  timeColumn?: string;
  /**
   * Fuses a row's calibrated text risk with its customer's behaviour (batch jobs with a customer column and a fusion
   * model); without it `risk` is the text risk and `tabularRisk` stays empty.
   */
  fuseRisk?: (
    values: Record<string, unknown>,
    textRisk: number,
  ) => Promise<{ risk: number; tabularRisk: number | null }>;
  engine: Pick<InferenceEngine, 'score'>;
  calibrator: Pick<RiskCalibrator, 'risk' | 'band'>;
  resume?: boolean;
  /** Top driver phrases per row; costs one extra engine call of ~25 texts per row, so off by default. */
  phrases?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ScoreProgress) => void;
  /**
   * Runs before a chunk's rows are written and claimed, so whatever it records (e.g. texts stored for the themes
   * engine) may be redone after a crash: it must be idempotent per input line.
   */
  beforeCommit?: (rows: ScoredRow[]) => Promise<void>;
  chunkSize?: number;
  /** Backoff for engine refusals that are transient (queue full); default DEFAULT_RETRY. */
  retry?: RetryPolicy;
  /** Chunks scored concurrently: two keeps the engine busy while the previous chunk is written. */
  inFlight?: number;
  /**
   * Least time between progress-file writes (default 250 ms). Rows written after the last one are cut and redone by a
   * resume, so a longer interval costs only redone work after a crash, never a lost or doubled row.
   */
  checkpointMs?: number;
}

export interface ScoreProgress {
  records: number;
  scored: number;
  errors: number;
  bytesRead: number;
  totalBytes: number;
  /** Since the job began, earlier (resumed-from) runs included. */
  total: { records: number; written: number; errors: number };
}

export interface ScoreFileSummary {
  input: string;
  output: string;
  errorsFile: string;
  /** Input records read this run (good and bad), excluding those skipped by --resume. */
  rows: number;
  scored: number;
  /** Records skipped because an earlier run already handled them. */
  skipped: number;
  errors: number;
  seconds: number;
  rowsPerSecond: number;
  aborted: boolean;
  /** Over the rows scored in this run only. */
  distribution: RiskDistribution;
}

interface Chunk {
  items: RowItem[];
  scored: Promise<(ScoredRow | string)[]>;
}

export async function scoreFile(opts: ScoreFileOptions): Promise<ScoreFileSummary> {
  const started = Date.now();
  const { input, output, textColumn, idColumn } = opts;
  const errorsFile = errorsPath(output);
  const totalBytes = fs.existsSync(input) ? fs.statSync(input).size : 0;
  const prior = opts.resume ? await resumePoint(opts) : undefined;
  let inputHeader: string[] | undefined;
  let bytesRead = 0;
  const rows = readRows({
    file: input,
    textColumn,
    onBytes: (b) => (bytesRead = b),
    onHeader: (h) => (inputHeader = h),
  });
  // Reading the first item surfaces an unreadable input (missing, not gzip, no text column) before any output is touched.
  const first = await rows.next();
  const writer = RowWriter.open(output, { append: !!prior, columns: prior?.columns });
  const errorsFd = fs.openSync(errorsFile, prior ? 'a' : 'w');
  const progress: JobProgress = prior?.progress ?? {
    input,
    line: 0,
    records: 0,
    written: 0,
    errors: 0,
    done: false,
    updatedAt: '',
  };
  const summary = new RiskSummary();
  const counts = { rows: 0, scored: 0, skipped: 0, errors: 0 };
  const chunkSize = opts.chunkSize ?? 256;
  const pending: Chunk[] = [];

  let errorsBytes = fs.fstatSync(errorsFd).size;
  let lastCheckpoint = 0;
  const checkpoint = (done = false) => {
    writeProgress(output, { ...progress, done, updatedAt: new Date().toISOString() });
    lastCheckpoint = Date.now();
  };
  const commit = async (chunk: Chunk, results: (ScoredRow | string)[]) => {
    const scored: ScoredRow[] = [];
    let errText = '';
    chunk.items.forEach((item, i) => {
      const r = results[i];
      if (typeof r === 'string') errText += `${JSON.stringify({ line: item.line, reason: r })}\n`;
      else scored.push(r);
    });
    if (opts.beforeCommit && scored.length) await opts.beforeCommit(scored);
    const good = scored.map((r) => r.output);
    for (const r of good) summary.add(r.risk as number, r.band as Parameters<RiskSummary['add']>[1]);
    writer.write(good, () => [
      ...(inputHeader ?? Object.keys(good[0])).filter((c) => !(SCORE_COLUMNS as readonly string[]).includes(c)),
      ...SCORE_COLUMNS,
    ]);
    if (errText) errorsBytes += writeAll(errorsFd, Buffer.from(errText, 'utf8'));
    const nErr = chunk.items.length - good.length;
    counts.rows += chunk.items.length;
    counts.scored += good.length;
    counts.errors += nErr;
    const last = good[good.length - 1];
    Object.assign(progress, {
      line: Math.max(progress.line, ...chunk.items.map((x) => x.line)),
      records: progress.records + chunk.items.length,
      written: progress.written + good.length,
      errors: progress.errors + nErr,
      lastId: idColumn && last ? String(last[idColumn]) : progress.lastId,
      outputBytes: writer.bytes,
      errorsBytes,
    });
    // Only after the chunk's rows are on disk does the progress file claim them.
    if (Date.now() - lastCheckpoint >= (opts.checkpointMs ?? 250)) checkpoint();
    const total = { records: progress.records, written: progress.written, errors: progress.errors };
    opts.onProgress?.({
      records: counts.rows,
      scored: counts.scored,
      errors: counts.errors,
      bytesRead,
      totalBytes,
      total,
    });
  };
  const drainOne = async () => {
    const chunk = pending.shift()!;
    await commit(chunk, await chunk.scored);
  };

  let aborted = false;
  try {
    let batch: RowItem[] = [];
    const dispatch = async () => {
      pending.push({ items: batch, scored: scoreChunk(batch, opts) });
      batch = [];
      while (pending.length >= (opts.inFlight ?? 2)) await drainOne();
    };
    const items = async function* () {
      if (!first.done) yield first.value;
      yield* rows;
    };
    for await (const item of items()) {
      if (opts.signal?.aborted) {
        aborted = true;
        break;
      }
      if (prior && item.line <= prior.progress.line) {
        counts.skipped++;
        continue;
      }
      batch.push(item);
      if (batch.length >= chunkSize) await dispatch();
    }
    if (!aborted && batch.length) await dispatch();
    // In-flight chunks are finished and committed even on abort: the work is done and the output stays in order.
    while (pending.length) await drainOne();
    checkpoint(!aborted);
  } finally {
    // A failed chunk must not leave its sibling's promise unobserved.
    await Promise.allSettled(pending.map((c) => c.scored));
    writer.close();
    fs.closeSync(errorsFd);
    await rows.return(undefined);
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    input,
    output,
    errorsFile,
    ...counts,
    seconds,
    rowsPerSecond: seconds > 0 ? counts.scored / seconds : 0,
    aborted,
    distribution: summary.toJSON(),
  };
}
