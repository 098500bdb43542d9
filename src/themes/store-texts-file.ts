// Loads a CSV/JSONL of texts into a store for theming: each text embedded and risk-scored by the given model.
import { createHash } from 'node:crypto';
import { DataFileError } from '../errors';
import type { InferenceEngine } from '../engine';
import { cellText, parseTimestampCell, readRecords } from '../ingest';
import type { RiskCalibrator } from '../score';
import type { Store, TextSource } from '../store';
import { DEFAULT_TEXT_SOURCE, isTextSource, TEXT_SOURCES } from '../text/text-source';

export interface StoreTextsFileOptions {
  file: string;
  store: Store;
  engine: InferenceEngine;
  calibrator: RiskCalibrator;
  modelVersion: string;
  textColumn: string;
  /** Optional columns; rows without them get no customer, source "review" and the time of loading. */
  customerColumn?: string;
  sourceColumn?: string;
  timeColumn?: string;
  /** Texts embedded per engine call. */
  chunk?: number;
  onProgress?: (stored: number) => void;
}

interface Row {
  text: string;
  customerId: string | null;
  source: TextSource;
  createdAt: string;
}

/** Rows with an empty text are skipped and counted; a bad source or timestamp fails naming file, line and column. */
export async function storeTextsFile(opts: StoreTextsFileOptions): Promise<{ stored: number; skipped: number }> {
  const now = new Date().toISOString();
  let stored = 0;
  let skipped = 0;
  let pending: Row[] = [];
  const flush = async () => {
    stored += await storeChunk(opts, pending);
    pending = [];
    opts.onProgress?.(stored);
  };
  for await (const { line, values } of readRecords(opts.file)) {
    if (!(opts.textColumn in values))
      throw new DataFileError(`${opts.file} line ${line}: no column "${opts.textColumn}" (use --text-col)`, {
        file: opts.file,
        row: line,
        field: opts.textColumn,
      });
    const text = cellText(values[opts.textColumn]).trim();
    if (text === '') {
      skipped++;
      continue;
    }
    pending.push({ text, ...rowContext(opts, values, line, now) });
    if (pending.length >= (opts.chunk ?? 256)) await flush();
  }
  if (pending.length) await flush();
  return { stored, skipped };
}

function rowContext(
  opts: StoreTextsFileOptions,
  values: Record<string, unknown>,
  line: number,
  now: string,
): Omit<Row, 'text'> {
  const cell = (col?: string) => (col && cellText(values[col]).trim() !== '' ? cellText(values[col]).trim() : null);
  const source = cell(opts.sourceColumn) ?? DEFAULT_TEXT_SOURCE;
  if (!isTextSource(source)) {
    throw new DataFileError(
      `${opts.file} line ${line}: ${opts.sourceColumn} "${source}" is not one of ${TEXT_SOURCES.join(', ')}`,
      { file: opts.file, row: line, field: opts.sourceColumn },
    );
  }
  const time = opts.timeColumn
    ? parseTimestampCell(values[opts.timeColumn], { file: opts.file, row: line, column: opts.timeColumn })
    : undefined;
  return {
    customerId: cell(opts.customerColumn),
    source,
    createdAt: time ? time.toISOString() : now,
  };
}

async function storeChunk(opts: StoreTextsFileOptions, rows: readonly Row[]): Promise<number> {
  const scores = await opts.engine.score(rows.map((r) => r.text));
  await opts.store.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const textRisk = opts.calibrator.risk(scores[i].probability);
      const hash = createHash('sha256').update(r.text).digest('hex');
      const textId = await tx.texts.insert({
        customerId: r.customerId,
        source: r.source,
        text: r.text,
        hash,
        createdAt: r.createdAt,
      });
      await tx.scores.insert({
        textId,
        modelVersion: opts.modelVersion,
        risk: textRisk,
        textRisk,
        tabularRisk: null,
        band: opts.calibrator.band(textRisk),
        drivers: null,
        embedding: scores[i].embedding,
        createdAt: r.createdAt,
      });
    }
  });
  return rows.length;
}
