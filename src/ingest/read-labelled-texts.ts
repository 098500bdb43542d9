// Loads a labelled training/evaluation file into clean rows, refusing bad files with file, row and column named.
import { DataFileError } from '../errors';
import { transcriptText, type AgentTurnPolicy } from '../text/chat-transcript';
import { DEFAULT_TEXT_SOURCE, isTextSource, TEXT_SOURCES, type TextSource } from '../text/text-source';
import { cellText } from './cell-text';
import { readRecords } from './read-records';

export interface LabelledTextOptions {
  file: string;
  textCol?: string;
  labelCol?: string;
  /** Label values that mean "dissatisfied / churned". */
  positive: string[];
  /** Label values that mean the opposite; when absent, the file must hold exactly one other value. */
  negative?: string[];
  sourceCol?: string;
  customerCol?: string;
  timestampCol?: string;
  /** Source of rows that name none. */
  defaultSource?: TextSource;
  agentTurns?: AgentTurnPolicy;
  /** Fewer labelled rows than this is refused: no model worth serving comes out of it. */
  minRows?: number;
}

export interface LabelledText {
  text: string;
  label: 0 | 1;
  source: TextSource;
  customerId?: string;
  timestamp?: string;
  line: number;
}

export interface LabelledDataset {
  file: string;
  rows: LabelledText[];
  skippedEmpty: number;
  positives: number;
  labelValues: { positive: string[]; negative: string[] };
}

export async function readLabelledTexts(opts: LabelledTextOptions): Promise<LabelledDataset> {
  const { file } = opts;
  const textCol = opts.textCol ?? 'text';
  const labelCol = opts.labelCol ?? 'label';
  const sourceCol = opts.sourceCol ?? 'source';
  const customerCol = opts.customerCol ?? 'customer_id';
  const timestampCol = opts.timestampCol ?? 'timestamp';
  const positive = new Set(opts.positive.map(String));
  let negative = opts.negative ? new Set(opts.negative.map(String)) : undefined;
  const raw: {
    line: number;
    text: string;
    label: string;
    source: TextSource;
    customerId?: string;
    timestamp?: string;
  }[] = [];
  let skippedEmpty = 0;
  let checkedColumns = false;

  for await (const { line, values } of readRecords(file)) {
    if (!checkedColumns) {
      const missing = [textCol, labelCol].filter((c) => !(c in values));
      if (missing.length) {
        throw new DataFileError(
          `${file}: missing column ${missing.map((c) => `"${c}"`).join(', ')}; columns found: ${Object.keys(values).join(', ')}`,
          {
            file,
            field: missing[0],
          },
        );
      }
      checkedColumns = true;
    }
    const text = values[textCol];
    if (text === undefined || text === null || (typeof text === 'string' && text.trim() === '')) {
      skippedEmpty++;
      continue;
    }
    const label = values[labelCol];
    if (cellText(label).trim() === '') {
      throw new DataFileError(`${file} line ${line}: column "${labelCol}" is empty`, {
        file,
        row: line,
        field: labelCol,
      });
    }
    const src = values[sourceCol];
    const source =
      src === undefined || src === null || src === ''
        ? (opts.defaultSource ?? DEFAULT_TEXT_SOURCE)
        : cellText(src).toLowerCase();
    if (!isTextSource(source)) {
      throw new DataFileError(
        `${file} line ${line}: column "${sourceCol}" is "${cellText(src)}"; valid values: ${TEXT_SOURCES.join(', ')}`,
        {
          file,
          row: line,
          field: sourceCol,
        },
      );
    }
    const asText = typeof text === 'string' ? text : JSON.stringify(text); // JSONL chats may arrive as arrays
    raw.push({
      line,
      text: transcriptText(asText, opts.agentTurns ?? 'drop'),
      label: cellText(label).trim(),
      source: source,
      customerId: optionalString(values[customerCol]),
      timestamp: optionalString(values[timestampCol]),
    });
  }
  if (!checkedColumns) throw new DataFileError(`${file}: no rows`, { file });

  const seen = [...new Set(raw.map((r) => r.label))];
  if (!seen.some((v) => positive.has(v))) {
    throw new DataFileError(
      `${file}: positive label ${[...positive].map((v) => `"${v}"`).join(', ')} not found in column "${labelCol}"; values seen: ${seen.join(', ')}`,
      {
        file,
        field: labelCol,
      },
    );
  }
  if (!negative) {
    const others = seen.filter((v) => !positive.has(v));
    if (others.length > 1) {
      throw new DataFileError(
        `${file}: column "${labelCol}" has ${others.length} non-positive values (${others.join(', ')}); say which are negative (--negative)`,
        {
          file,
          field: labelCol,
        },
      );
    }
    negative = new Set(others);
  }
  const rows: LabelledText[] = raw.map((r) => {
    if (positive.has(r.label)) return { ...r, label: 1 as const };
    if (negative.has(r.label)) return { ...r, label: 0 as const };
    throw new DataFileError(
      `${file} line ${r.line}: unknown label "${r.label}" in column "${labelCol}"; valid values: ${[...positive, ...negative].join(', ')}`,
      {
        file,
        row: r.line,
        field: labelCol,
      },
    );
  });
  const positives = rows.filter((r) => r.label === 1).length;
  if (positives === 0 || positives === rows.length) {
    throw new DataFileError(`${file}: all ${rows.length} labelled rows are of one class; training needs both`, {
      file,
      field: labelCol,
    });
  }
  const minRows = opts.minRows ?? 20;
  if (rows.length < minRows) {
    throw new DataFileError(`${file}: only ${rows.length} labelled rows with text; at least ${minRows} are needed`, {
      file,
    });
  }
  return { file, rows, skippedEmpty, positives, labelValues: { positive: [...positive], negative: [...negative] } };
}

function optionalString(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : cellText(v);
}
