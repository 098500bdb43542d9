// churnscope command line: parses flags into the typed Config once, then hands off to one command module each.
import { Command, InvalidArgumentError } from 'commander';
import { isChurnscopeError } from './errors';
import { serveCommand } from './commands/serve';
import { scoreTextCommand } from './commands/score-text';
import { trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { addLabelledDataOptions } from './commands/labelled-data-flags';
import { trainFusionCommand } from './commands/train-fusion';
import { scoreCommand } from './commands/score';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got "${v}"`);
  return n;
};

const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${v}"`);
  return n;
};

const program = new Command('churnscope').description('Churn risk from what customers write.').showHelpAfterError();

program
  .command('serve')
  .description('run the scoring service (HTTP)')
  .option('--port <n>', 'port to listen on (env CHURNSCOPE_PORT, default 8080)', int('--port'))
  .option('--host <addr>', 'address to bind (env CHURNSCOPE_HOST, default 127.0.0.1)')
  .option('--db <file>', 'SQLite database file (env CHURNSCOPE_DB)')
  .option('--model <dir>', 'model bundle directory (env CHURNSCOPE_MODEL, default the bundled model)')
  .option('--models-dir <dir>', 'folder of model bundles that can be activated (default: the model\'s parent folder)')
  .option('--fusion <file>', 'fusion model (default: fusion.json in the model bundle, when present)')
  .option('--playbook <file>', 'retention playbook JSON (default config/default-playbook.json)')
  .option('--threads <n>', 'ONNX Runtime intra-op threads, 0 = all cores', int('--threads'))
  .action(serveCommand);

program
  .command('score-text')
  .description('score texts given as arguments and print JSON')
  .argument('<text...>', 'texts to score')
  .option('--model <dir>', 'model bundle directory')
  .action(scoreTextCommand);

addLabelledDataOptions(program.command('train').description('fine-tune the text model on labelled texts and write a servable bundle'))
  .option('--default-source <source>', 'source of rows that name none', 'review')
  .option('--agent-turns <policy>', 'chat transcripts: drop agent turns or keep them', 'drop')
  .requiredOption('--out <dir>', 'bundle directory to write')
  .option('--mode <mode>', 'head (frozen encoder) or full (fine-tune encoder + head)', 'head')
  .option('--seed <n>', 'random seed (splits, shuffles, sampling)', int('--seed'))
  .option('--epochs <n>', 'epochs (head default 40, full default 3)', int('--epochs'))
  .option('--batch-size <n>', 'batch size', int('--batch-size'))
  .option('--lr <x>', 'peak learning rate', num('--lr'))
  .option('--max-tokens <n>', 'tokens per window', int('--max-tokens'))
  .option('--imbalance <how>', 'weight, sample or none', 'weight')
  .option('--calibration <method>', 'platt, isotonic or none', 'platt')
  .option('--band-precision <targets>', 'precision each band must reach on validation, e.g. medium=0.5,high=0.8,critical=0.95')
  .option('--backend <name>', 'TF.js backend: auto, tensorflow-gpu, tensorflow, wasm, cpu', 'auto')
  .option('--freeze-embeddings', 'full mode: keep the token embeddings fixed')
  .option('--freeze-lower-layer', 'full mode: keep the lower transformer layer fixed')
  .option('--cache-dir <dir>', 'where frozen embeddings and the base encoder are cached')
  .option('--resume', 'continue an interrupted run from its last epoch checkpoint')
  .option('--overwrite', 'replace an existing output directory')
  .action(trainCommand);

addLabelledDataOptions(
  program
    .command('eval')
    .description('score a labelled file with a model bundle and print its metrics as JSON')
    .option('--model <dir>', 'model bundle directory (default the bundled model)'),
).action(evalCommand);

program
  .command('score')
  .description('batch-score a CSV/JSONL file (optionally .gz) into a scored CSV/JSONL; Ctrl-C stops cleanly, --resume continues')
  .requiredOption('--in <file>', 'input: .csv, .jsonl or .ndjson (optionally .gz)')
  .requiredOption('--out <file>', 'output: .csv or .jsonl (bad rows go to <out>.errors.jsonl)')
  .option('--text-col <name>', 'column holding the text', 'text')
  .option('--id-col <name>', 'id column, checked on --resume')
  .option('--model <dir>', 'model bundle directory (default the bundled model)')
  .option('--resume', 'continue an interrupted run from <out>.progress.json')
  .option('--phrases', 'add top driver phrases per row (about 25x slower; default off)')
  .action(scoreCommand);

program
  .command('train-fusion')
  .description('train the fusion model: behavioural features plus text-risk aggregates per customer')
  .requiredOption('--customers <file>', 'one row per customer: features and the churn label (.csv or .jsonl)')
  .requiredOption('--schema <file>', 'tabular schema (JSON): features, numeric or categorical, missing-value policy')
  .option('--label <column>', 'churn label column', 'churn')
  .option('--id <column>', 'customer id column', 'customer_id')
  .option('--texts <file>', 'texts per customer, scored with the text model and aggregated')
  .option('--text-col <name>', 'text column of --texts', 'text')
  .option('--customer-col <name>', 'customer id column of --texts', 'customer_id')
  .option('--timestamp-col <name>', 'timestamp column of --texts', 'timestamp')
  .option('--model <dir>', 'text model bundle (default the bundled model)')
  .requiredOption('--out <file>', 'where to write fusion.json')
  .option('--seed <n>', 'random seed', int('--seed'))
  .action(trainFusionCommand);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isChurnscopeError(e)) {
    process.stderr.write(`churnscope: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`churnscope: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
