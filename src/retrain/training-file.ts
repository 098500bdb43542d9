// The store's training outcomes as a JSONL file, because the training pipeline reads labelled data from files.
import fs from 'node:fs';
import type { LabelledTextOptions } from '../ingest';
import type { OutcomeText } from '../store';

/** Writes one line per outcome and returns the data spec that reads it back. */
export function writeTrainingFile(file: string, rows: readonly OutcomeText[]): LabelledTextOptions {
  const lines = rows.map((r) =>
    JSON.stringify({ text: r.text, label: r.label === 1 ? 'churned' : 'retained', source: r.source }),
  );
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return {
    file,
    textCol: 'text',
    labelCol: 'label',
    positive: ['churned'],
    negative: ['retained'],
    sourceCol: 'source',
  };
}
