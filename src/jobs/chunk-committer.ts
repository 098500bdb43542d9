// Commits scored chunks in input order: output rows, error lines, then the progress claim; owns the files of one run.
import fs from 'node:fs';
import type { RowItem } from '../ingest';
import { writeProgress, type JobProgress } from './progress-file';
import { RiskSummary } from './risk-summary';
import { RowWriter, writeAll } from './row-writer';
import type { ScoredRow } from './score-chunk';

export interface ChunkCommitterOptions {
  output: string;
  errorsFile: string;
  idColumn?: string;
  /** Progress of the run being resumed: files are appended to and its counts continued. */
  prior?: { progress: JobProgress; columns?: string[] };
  initial: JobProgress;
  /** Output header: the input's own columns, then the score columns. */
  columns: (firstRow: Record<string, unknown>) => string[];
  beforeCommit?: (rows: ScoredRow[]) => Promise<void>;
  checkpointMs: number;
}

export interface CommitCounts {
  rows: number;
  scored: number;
  errors: number;
}

export class ChunkCommitter {
  readonly summary = new RiskSummary();
  readonly counts: CommitCounts = { rows: 0, scored: 0, errors: 0 };
  readonly progress: JobProgress;
  private readonly writer: RowWriter;
  private readonly errorsFd: number;
  private errorsBytes: number;
  private lastCheckpoint = 0;

  constructor(private readonly o: ChunkCommitterOptions) {
    this.writer = RowWriter.open(o.output, { append: !!o.prior, columns: o.prior?.columns });
    this.errorsFd = fs.openSync(o.errorsFile, o.prior ? 'a' : 'w');
    this.errorsBytes = fs.fstatSync(this.errorsFd).size;
    this.progress = o.prior?.progress ?? o.initial;
  }

  /** One chunk: a result per item, either the scored row or the reason it could not be scored. */
  async commit(items: RowItem[], results: (ScoredRow | string)[]): Promise<void> {
    const scored: ScoredRow[] = [];
    let errText = '';
    items.forEach((item, i) => {
      const r = results[i];
      if (typeof r === 'string') errText += `${JSON.stringify({ line: item.line, reason: r })}\n`;
      else scored.push(r);
    });
    if (this.o.beforeCommit && scored.length) await this.o.beforeCommit(scored);
    const good = scored.map((r) => r.output);
    for (const r of good) this.summary.add(r.risk as number, r.band as Parameters<RiskSummary['add']>[1]);
    this.writer.write(good, () => this.o.columns(good[0]));
    if (errText) this.errorsBytes += writeAll(this.errorsFd, Buffer.from(errText, 'utf8'));
    const nErr = items.length - good.length;
    this.counts.rows += items.length;
    this.counts.scored += good.length;
    this.counts.errors += nErr;
    const last = good[good.length - 1];
    const p = this.progress;
    Object.assign(p, {
      line: Math.max(p.line, ...items.map((x) => x.line)),
      records: p.records + items.length,
      written: p.written + good.length,
      errors: p.errors + nErr,
      lastId: this.o.idColumn && last ? String(last[this.o.idColumn]) : p.lastId,
      outputBytes: this.writer.bytes,
      errorsBytes: this.errorsBytes,
    });
    // Only after the chunk's rows are on disk does the progress file claim them.
    if (Date.now() - this.lastCheckpoint >= this.o.checkpointMs) this.checkpoint();
  }

  checkpoint(done = false): void {
    writeProgress(this.o.output, { ...this.progress, done, updatedAt: new Date().toISOString() });
    this.lastCheckpoint = Date.now();
  }

  close(): void {
    this.writer.close();
    fs.closeSync(this.errorsFd);
  }
}
