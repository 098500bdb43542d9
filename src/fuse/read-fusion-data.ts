// Reads fusion training inputs, a labelled customer table and an optional file of customers' texts, refusing bad cells with file, row and column named.
import { DataFileError, ValidationError } from '../errors';
import { cellText, parseTimestampCell, readRecords, TIMESTAMP_FORMATS } from '../ingest';
import type { FeatureSchema } from './feature-schema';
import { categoryKey, isMissing, parseNumeric } from './parse-value';

const POSITIVE = ['yes', 'y', 'true', '1', 'churn', 'churned', 'left', 'lost', 'positive'];
const NEGATIVE = ['no', 'n', 'false', '0', 'stay', 'stayed', 'retained', 'active', 'remained', 'negative'];

export interface CustomerTable {
  file: string;
  ids: string[];
  /** Schema features only: the id, label and any other column are dropped so the models never see them. */
  rows: Record<string, unknown>[];
  labels: (0 | 1)[];
  byId: Map<string, number>;
}

export interface CustomerText {
  customerId: string;
  text: string;
  createdAt: number;
  line: number;
}

export interface CustomerTexts {
  file: string;
  texts: CustomerText[];
  rows: number;
  skippedEmpty: number;
  /** Texts whose customer is not in the customer table (or names none): counted and left out, not fatal. */
  skippedUnknownCustomer: number;
  unknownCustomerExamples: string[];
}

/** 1 for churned, 0 for retained; anything else is refused, listing the spellings accepted. */
export function parseChurnLabel(value: unknown, where: { file: string; row: number; field: string }): 0 | 1 {
  const key = cellText(value).trim().toLowerCase();
  if (POSITIVE.includes(key)) return 1;
  if (NEGATIVE.includes(key)) return 0;
  throw new DataFileError(
    `${where.file} line ${where.row}: unknown label "${cellText(value)}" in column "${where.field}"; churned: ${POSITIVE.join(', ')}; retained: ${NEGATIVE.join(', ')}`,
    where,
  );
}

function requireColumns(file: string, values: Record<string, unknown>, columns: string[]): void {
  const missing = columns.filter((c) => !(c in values));
  if (missing.length) {
    throw new DataFileError(
      `${file}: missing column ${missing.map((c) => `"${c}"`).join(', ')}; columns found: ${Object.keys(values).join(', ')}`,
      {
        file,
        field: missing[0],
      },
    );
  }
}

function text(value: unknown): string {
  return cellText(value).trim();
}

export async function readCustomers(opts: {
  file: string;
  schema: FeatureSchema;
  labelColumn: string;
  idColumn: string;
}): Promise<CustomerTable> {
  const { file, schema, labelColumn, idColumn } = opts;
  const table: CustomerTable = { file, ids: [], rows: [], labels: [], byId: new Map() };
  for await (const { line, values } of readRecords(file)) {
    if (table.ids.length === 0)
      requireColumns(file, values, [idColumn, labelColumn, ...schema.features.map((f) => f.name)]);
    const id = text(values[idColumn]);
    if (!id)
      throw new DataFileError(`${file} line ${line}: column "${idColumn}" is empty`, {
        file,
        row: line,
        field: idColumn,
      });
    if (table.byId.has(id))
      throw new DataFileError(`${file} line ${line}: customer "${id}" appears twice in column "${idColumn}"`, {
        file,
        row: line,
        field: idColumn,
      });
    const label = parseChurnLabel(values[labelColumn], { file, row: line, field: labelColumn });
    const row: Record<string, unknown> = {};
    for (const f of schema.features) {
      const raw = values[f.name];
      try {
        // Parsed only to refuse a bad cell here, naming its line; the raw value is what the row keeps.
        if (!isMissing(raw)) {
          if (f.type === 'numeric') parseNumeric(raw, f.name);
          else categoryKey(raw, f.name);
        }
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        throw new DataFileError(`${file} line ${line}: column "${f.name}": ${e.message}`, {
          file,
          row: line,
          field: f.name,
          cause: e,
        });
      }
      row[f.name] = raw;
    }
    table.byId.set(id, table.ids.length);
    table.ids.push(id);
    table.rows.push(row);
    table.labels.push(label);
  }
  if (table.ids.length === 0) throw new DataFileError(`${file}: no customer rows`, { file });
  return table;
}

export async function readCustomerTexts(opts: {
  file: string;
  textColumn: string;
  customerColumn: string;
  timeColumn: string;
  known: ReadonlyMap<string, number>;
}): Promise<CustomerTexts> {
  const { file, textColumn, customerColumn, timeColumn } = opts;
  const out: CustomerTexts = {
    file,
    texts: [],
    rows: 0,
    skippedEmpty: 0,
    skippedUnknownCustomer: 0,
    unknownCustomerExamples: [],
  };
  for await (const { line, values } of readRecords(file)) {
    if (out.rows++ === 0) requireColumns(file, values, [textColumn, customerColumn, timeColumn]);
    const body = text(values[textColumn]);
    if (!body) {
      out.skippedEmpty++;
      continue;
    }
    const customerId = text(values[customerColumn]);
    if (!opts.known.has(customerId)) {
      out.skippedUnknownCustomer++;
      if (out.unknownCustomerExamples.length < 5) out.unknownCustomerExamples.push(customerId);
      continue;
    }
    const stamp = values[timeColumn];
    const time = parseTimestampCell(stamp, { file, row: line, column: timeColumn });
    if (!time)
      throw new DataFileError(`${file} line ${line}: column "${timeColumn}" is empty (${TIMESTAMP_FORMATS})`, {
        file,
        row: line,
        field: timeColumn,
      });
    const createdAt = time.getTime();
    out.texts.push({ customerId, text: body, createdAt, line });
  }
  if (out.rows === 0) throw new DataFileError(`${file}: no text rows`, { file });
  return out;
}
