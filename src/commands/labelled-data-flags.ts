// The flags that name a labelled data file and its columns, shared by `train` and `eval`.
import type { Command } from 'commander';
import type { LabelledTextOptions } from '../ingest';

export interface LabelledDataFlags {
  data: string;
  textCol: string;
  labelCol: string;
  positive: string[];
  negative?: string[];
  sourceCol?: string;
}

/** Commander parser for a repeatable comma-separated flag: `--x a,b --x c` gives [a, b, c], blanks dropped. */
export const commaList = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function addLabelledDataOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--data <file>', 'labelled texts: .csv, .jsonl or .ndjson (optionally .gz)')
    .option('--text-col <name>', 'column holding the text', 'text')
    .option('--label-col <name>', 'column holding the label', 'label')
    .requiredOption('--positive <values>', 'label value(s) meaning dissatisfied / churned (comma-separated)', commaList)
    .option('--negative <values>', 'label value(s) meaning the opposite (default: the one other value)', commaList)
    .option('--source-col <name>', 'column naming the source (feedback, review, chat, ticket)', 'source');
}

export function labelledDataSpec(flags: LabelledDataFlags): LabelledTextOptions {
  return {
    file: flags.data,
    textCol: flags.textCol,
    labelCol: flags.labelCol,
    positive: flags.positive,
    negative: flags.negative,
    sourceCol: flags.sourceCol,
  };
}
