// Batch scoring of one file as steps: resume point → reader → ordered chunks (scored two at a time) → committer → summary.
import fs from 'node:fs';
import type { InferenceEngine } from '../engine';
import type { RiskCalibrator } from '../score';
import { readRows, type RowItem } from '../ingest';
import { ChunkCommitter } from './chunk-committer';
import { OrderedChunks } from './ordered-chunks';
import { errorsPath } from './progress-file';
import { resumePoint } from './resume-point';
import type { RiskDistribution } from './risk-summary';
import type { RetryPolicy } from './retry-transient';
import { scoreChunk, type ScoredRow } from './score-chunk';
import type { PhraseDrivers } from '../explain';

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
  /** Top driver phrases per row; costs one extra engine call of ~25 texts per row on occlusion, so off by default. */
  phrases?: boolean;
  /** The model's driver method for `phrases` (decomposed: one extra pass per row); absent: occlusion. */
  drivers?: Pick<PhraseDrivers, 'explain'>;
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

export async function scoreFile(opts: ScoreFileOptions): Promise<ScoreFileSummary> {
  const started = Date.now();
  const { input, output, textColumn } = opts;
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
  const committer = new ChunkCommitter({
    output,
    errorsFile,
    idColumn: opts.idColumn,
    prior,
    initial: { input, line: 0, records: 0, written: 0, errors: 0, done: false, updatedAt: '' },
    columns: (row) => [
      ...(inputHeader ?? Object.keys(row)).filter((c) => !(SCORE_COLUMNS as readonly string[]).includes(c)),
      ...SCORE_COLUMNS,
    ],
    beforeCommit: opts.beforeCommit,
    checkpointMs: opts.checkpointMs ?? 250,
  });
  const chunks = new OrderedChunks<RowItem, (ScoredRow | string)[]>({
    inFlight: opts.inFlight ?? 2,
    work: (items) => scoreChunk(items, opts),
    commit: async (items, results) => {
      await committer.commit(items, results);
      const { records, written, errors } = committer.progress;
      const c = committer.counts;
      opts.onProgress?.({
        records: c.rows,
        scored: c.scored,
        errors: c.errors,
        bytesRead,
        totalBytes,
        total: { records, written, errors },
      });
    },
  });

  let aborted = false;
  let skipped = 0;
  try {
    const chunkSize = opts.chunkSize ?? 256;
    const batch: RowItem[] = [];
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
        skipped++;
        continue;
      }
      batch.push(item);
      if (batch.length >= chunkSize) await chunks.push(batch.splice(0));
    }
    if (!aborted && batch.length) await chunks.push(batch.splice(0));
    await chunks.drain();
    committer.checkpoint(!aborted);
  } finally {
    await chunks.settle();
    committer.close();
    await rows.return(undefined);
  }
  const seconds = (Date.now() - started) / 1000;
  const { counts } = committer;
  return {
    input,
    output,
    errorsFile,
    ...counts,
    skipped,
    seconds,
    rowsPerSecond: seconds > 0 ? counts.scored / seconds : 0,
    aborted,
    distribution: committer.summary.toJSON(),
  };
}
