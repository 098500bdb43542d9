// churnscope command line: parses flags into the typed Config once, then hands off to one command module each.
import { Command, InvalidArgumentError } from 'commander';
import { isChurnscopeError } from './errors';
import { serveCommand } from './commands/serve';
import { scoreTextCommand } from './commands/score-text';
import { trainCommand } from './commands/train';
import { evalCommand } from './commands/eval';
import { addLabelledDataOptions, commaList } from './commands/labelled-data-flags';
import { trainFusionCommand } from './commands/train-fusion';
import { scoreCommand } from './commands/score';
import { themesCommand, type ThemesFlags } from './commands/themes';
import {
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  type KeysCreateFlags,
  type KeysFlags,
} from './commands/keys';
import { retentionCommand } from './commands/retention';
import { quantizeCommand } from './commands/quantize';
import { retrainCommand } from './commands/retrain';
import { workerCommand } from './commands/worker';

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

const PRECISION_HELP =
  'auto, fp32 or int8 (env CHURNSCOPE_PRECISION; auto: int8 on CPU when the bundle has onnx/model_quantized.onnx)';

const DB_HELP =
  'SQLite database file, or postgresql://user@host:port/db for the shared PostgreSQL store (env CHURNSCOPE_DB)';

const program = new Command('churnscope').description('Churn risk from what customers write.').showHelpAfterError();

program
  .command('serve')
  .description('run the scoring service (HTTP)')
  .option('--port <n>', 'port to listen on (env CHURNSCOPE_PORT, default 8080)', int('--port'))
  .option('--host <addr>', 'address to bind (env CHURNSCOPE_HOST, default 127.0.0.1)')
  .option('--db <file|url>', DB_HELP)
  .option('--model <dir>', 'model bundle directory (env CHURNSCOPE_MODEL, default the bundled model)')
  .option('--models-dir <dir>', "folder of model bundles that can be activated (default: the model's parent folder)")
  .option('--fusion <file>', 'fusion model (default: fusion.json in the model bundle, when present)')
  .option('--playbook <file>', 'retention playbook JSON (default config/default-playbook.json)')
  .option('--threads <n>', 'ONNX Runtime intra-op threads, 0 = all cores', int('--threads'))
  .option(
    '--workers <n>',
    'inference worker threads, 0 = run the model on the main thread (env CHURNSCOPE_WORKERS, default 1)',
    int('--workers'),
  )
  .option('--precision <p>', PRECISION_HELP)
  .option(
    '--shadow-model <dir|version>',
    'also score a sampled share of texts with this model, stored apart (env CHURNSCOPE_SHADOW_MODEL)',
  )
  .option(
    '--shadow-sample-rate <x>',
    'share of scored texts the shadow model scores, 0..1 (env CHURNSCOPE_SHADOW_SAMPLE_RATE, default 0: off)',
    num('--shadow-sample-rate'),
  )
  .option('--jobs-dir <dir>', 'where batch jobs keep their files (env CHURNSCOPE_JOBS_DIR, default ./data/jobs)')
  .option(
    '--lease-seconds <n>',
    'PostgreSQL: a chunk this replica enqueues that a worker took and did not commit within n s (the worker died) goes to another worker (env CHURNSCOPE_JOB_LEASE_SECONDS, default 25)',
    int('--lease-seconds'),
  )
  .option(
    '--auth <mode>',
    'auto (keys required once one exists; always off loopback), required, or off (loopback only) (env CHURNSCOPE_AUTH)',
  )
  .option('--insecure-no-auth', 'serve without authentication even on a non-loopback address')
  .option(
    '--rate-limit <n>',
    'requests per window per API key (per IP without keys), 0 = none (env CHURNSCOPE_RATE_LIMIT)',
    int('--rate-limit'),
  )
  .option(
    '--rate-limit-window <s>',
    'rate-limit window in seconds, default 60 (env CHURNSCOPE_RATE_LIMIT_WINDOW_S)',
    int('--rate-limit-window'),
  )
  .option(
    '--store-text <mode>',
    'what is stored of texts: full, redacted or none (env CHURNSCOPE_STORE_TEXT, default redacted)',
  )
  .option(
    '--retention-days <n>',
    'delete texts older than n days, at start and hourly (env CHURNSCOPE_RETENTION_DAYS; default keep)',
    int('--retention-days'),
  )
  .action(serveCommand);

program
  .command('worker')
  .description('score queued batch-job chunks from the shared PostgreSQL store (POST /v1/jobs on any replica)')
  .option('--db <url>', "postgresql://user@host:port/db, the replicas' store (env CHURNSCOPE_DB)")
  .option('--model <dir>', 'model bundle directory (env CHURNSCOPE_MODEL, default the bundled model)')
  .option('--models-dir <dir>', "folder of model bundles; the replicas' active one is used when found here")
  .option('--fusion <file>', 'fusion model (default: fusion.json in the model bundle, when present)')
  .option('--threads <n>', 'ONNX Runtime intra-op threads, 0 = all cores', int('--threads'))
  .option('--workers <n>', 'inference worker threads, 0 = the main thread (default 1)', int('--workers'))
  .option('--precision <p>', PRECISION_HELP)
  .option(
    '--concurrency <n>',
    'chunks scored at once (default 2: one scores while the other commits)',
    int('--concurrency'),
  )
  .option('--store-text <mode>', 'what jobs with storeTexts keep of texts: full, redacted or none (default redacted)')
  .action(workerCommand);

program
  .command('retention')
  .description(
    'delete texts older than N days, with their scores, feedback and alert deliveries, and print what was deleted',
  )
  .option('--days <n>', 'keep this many days of texts (env CHURNSCOPE_RETENTION_DAYS)', int('--days'))
  .option('--db <file|url>', DB_HELP)
  .action(async (flags: { days?: number; db?: string }) => {
    await retentionCommand(flags);
  });

const keys = program
  .command('keys')
  .description('manage API keys (only their hashes are stored, in the service database)');
keys
  .command('create')
  .description('create an API key and print it (shown only this once)')
  .requiredOption('--name <name>', 'who or what uses the key, e.g. crm-sync')
  .requiredOption('--scopes <list>', 'comma-separated: score, read, admin (admin implies all)')
  .option(
    '--rate-limit <n>',
    "requests per window for this key (default: the server's --rate-limit)",
    int('--rate-limit'),
  )
  .option('--db <file|url>', DB_HELP)
  .option('--json', 'print the key and its record as JSON')
  .action((flags: KeysCreateFlags) => keysCreateCommand(flags));
keys
  .command('list')
  .description('list API keys: id, name, scopes, rate limit, created, revoked (never the key or its hash)')
  .option('--db <file|url>', DB_HELP)
  .option('--json', 'print JSON')
  .action((flags: KeysFlags) => keysListCommand(flags));
keys
  .command('revoke')
  .description('revoke an API key; a running server refuses it from the next request on')
  .argument('<id>', 'the key id from `keys list` (or the key itself)')
  .option('--db <file|url>', DB_HELP)
  .option('--json', 'print the revoked record as JSON')
  .action((id: string, flags: KeysFlags) => keysRevokeCommand(id, flags));

program
  .command('score-text')
  .description('score texts given as arguments and print JSON')
  .argument('<text...>', 'texts to score')
  .option('--model <dir>', 'model bundle directory')
  .action(scoreTextCommand);

addLabelledDataOptions(
  program.command('train').description('fine-tune the text model on labelled texts and write a servable bundle'),
)
  .option('--default-source <source>', 'source of rows that name none', 'review')
  .option('--agent-turns <policy>', 'chat transcripts: drop agent turns or keep them', 'drop')
  .requiredOption('--out <dir>', 'bundle directory to write')
  .option(
    '--mode <mode>',
    'auto (few-shot below 400 training rows, else head), head (frozen encoder), full (fine-tune encoder + head) or few-shot (frozen encoder, zero-shot prior + logistic regression)',
    'auto',
  )
  .option(
    '--few-shot-prompts <file>',
    'few-shot mode: JSON {"positive": [unhappy customer statements], "negative": [happy ones]} (default: a built-in, domain-neutral set)',
  )
  .option(
    '--encoder <name|dir>',
    'use-lite (bundled) or a local Hugging Face BERT/DistilBERT folder: config.json, tokenizer.json, model.safetensors or onnx/model.onnx',
    'use-lite',
  )
  .option('--pooling <how>', 'BERT-family sentence vector: mean, cls or pooler (default mean)')
  .option('--seed <n>', 'random seed (splits, shuffles, sampling)', int('--seed'))
  .option('--epochs <n>', 'epochs (head default 40, full default 3)', int('--epochs'))
  .option('--batch-size <n>', 'batch size', int('--batch-size'))
  .option('--lr <x>', 'peak learning rate', num('--lr'))
  .option('--max-tokens <n>', 'tokens per window', int('--max-tokens'))
  .option('--imbalance <how>', 'weight, sample or none', 'weight')
  .option('--calibration <method>', 'platt, isotonic or none', 'platt')
  .option(
    '--band-precision <targets>',
    'precision each band must reach on validation, e.g. medium=0.5,high=0.8,critical=0.95',
  )
  .option('--backend <name>', 'TF.js backend: auto, tensorflow-gpu, tensorflow, wasm, cpu', 'auto')
  .option(
    '--threads <n>',
    'full mode: threads computing each batch (data-parallel); auto: one per core on wasm and cpu, 1 on tfjs-node and GPU',
    'auto',
  )
  .option(
    '--bags <mode>',
    "head's n-gram bags: auto (only with ≥ 400 training rows; smaller sets train the embedding-only head), on, off",
  )
  .option('--freeze-embeddings', 'full mode: keep the token embeddings fixed')
  .option('--freeze-lower-layer', 'full mode: keep the lower transformer layer fixed')
  .option('--cache-dir <dir>', 'where frozen embeddings and the base encoder are cached')
  .option('--resume', 'continue an interrupted run from its last epoch checkpoint')
  .option('--overwrite', 'replace an existing output directory')
  .option('--no-quantize', 'do not write the int8 model (onnx/model_quantized.onnx) beside the fp32 one')
  .option(
    '--max-auc-loss <x>',
    'largest validation ROC-AUC the int8 model may lose against fp32 (default 0.005)',
    num('--max-auc-loss'),
  )
  .action(trainCommand);

addLabelledDataOptions(
  program
    .command('eval')
    .description('score a labelled file with a model bundle and print its metrics as JSON')
    .option('--model <dir>', 'model bundle directory (default the bundled model)')
    .option('--precision <p>', PRECISION_HELP),
).action(evalCommand);

program
  .command('score')
  .description(
    'batch-score a CSV/JSONL file (optionally .gz) into a scored CSV/JSONL; Ctrl-C stops cleanly, --resume continues',
  )
  .requiredOption('--in <file>', 'input: .csv, .jsonl or .ndjson (optionally .gz)')
  .requiredOption('--out <file>', 'output: .csv or .jsonl (bad rows go to <out>.errors.jsonl)')
  .option('--text-col <name>', 'column holding the text', 'text')
  .option('--id-col <name>', 'id column, checked on --resume')
  .option('--model <dir>', 'model bundle directory (default the bundled model)')
  .option('--precision <p>', PRECISION_HELP)
  .option('--resume', 'continue an interrupted run from <out>.progress.json')
  .option(
    '--phrases',
    'add top driver phrases per row (one extra model pass per row, ~18 on bundles without token_states; default off)',
  )
  .action(scoreCommand);

program
  .command('themes')
  .description(
    'what dissatisfied customers write about: themes of stored texts (--db) or of a CSV/JSONL file (--in), as a table and JSON',
  )
  .option('--db <file|url>', 'the service database (texts scored with embeddings): SQLite file or postgresql:// URL')
  .option(
    '--in <file>',
    'texts to embed and theme: .csv, .jsonl or .ndjson (optionally .gz), e.g. a `churnscope score` output',
  )
  .option('--text-col <name>', '--in: column holding the text', 'text')
  .option('--customer-col <name>', '--in: customer id column (for churn lift)')
  .option('--source-col <name>', '--in: source column (feedback | review | chat | ticket)')
  .option('--time-col <name>', '--in: when the text was written (for weekly trends)')
  .option('--model <dir>', 'model bundle: embeds --in texts and sets the default threshold (its high band)')
  .option('--precision <p>', PRECISION_HELP)
  .option('--from <date>', 'texts written at or after this ISO date')
  .option('--to <date>', 'texts written up to this ISO date (a date alone includes the day)')
  .option('--source <source>', 'only texts of this source')
  .option(
    '--min-risk <x>',
    "dissatisfaction threshold on the text risk, 0..1 (default: the model's high band)",
    num('--min-risk'),
  )
  .option('--segment <name>', 'only texts of customers in this segment')
  .option('--out <file>', 'where to write the themes as JSON', 'themes.json')
  .action((flags: ThemesFlags) => themesCommand(flags));

program
  .command('quantize')
  .description("write onnx/model_quantized.onnx (int8) beside a bundle's fp32 model, if it passes the quality gate")
  .requiredOption('--model <dir>', 'model bundle directory')
  .option('--out <dir>', 'write a new bundle here instead of adding the file to --model (must not exist)')
  .option('--overwrite', 'rewrite an existing onnx/model_quantized.onnx in --model')
  .option(
    '--max-auc-loss <x>',
    'largest validation ROC-AUC the int8 model may lose against fp32 (default 0.005)',
    num('--max-auc-loss'),
  )
  .option('--threads <n>', 'ONNX Runtime intra-op threads for the check, 0 = all cores', int('--threads'))
  .action(quantizeCommand);

program
  .command('train-fusion')
  .description('train the fusion model: behavioural features plus text-risk aggregates per customer')
  .requiredOption('--customers <file>', 'one row per customer: features and the churn label (.csv or .jsonl)')
  .requiredOption('--schema <file>', 'tabular schema (JSON): features, numeric or categorical, missing-value policy')
  .option('--label-col <name>', 'churn label column of --customers', 'churn')
  .option('--id-col <name>', 'customer id column of --customers', 'customer_id')
  .option('--texts <file>', 'texts per customer, scored with the text model and aggregated')
  .option('--text-col <name>', 'text column of --texts', 'text')
  .option('--customer-col <name>', 'customer id column of --texts', 'customer_id')
  .option('--time-col <name>', 'timestamp column of --texts', 'timestamp')
  .option('--model <dir>', 'text model bundle (default the bundled model)')
  .option('--precision <p>', PRECISION_HELP)
  .requiredOption('--out <file>', 'where to write fusion.json')
  .option('--seed <n>', 'random seed', int('--seed'))
  .action(trainFusionCommand);

const collect = (v: string, prev: string[] = []) => [...prev, v];

program
  .command('retrain')
  .description(
    'train a challenger on stored texts with churned/retained outcomes, compare it with the active model on the newest outcomes (held back), print JSON',
  )
  .option('--db <file|url>', DB_HELP)
  .requiredOption('--out <dir>', 'challenger bundle directory to write (must not exist)')
  .option('--since <date>', 'only outcomes reported at or after this ISO date')
  .option('--base-data <file>', 'original training data to add (repeatable; columns as in train)', collect)
  .option('--text-col <name>', '--base-data: column holding the text', 'text')
  .option('--label-col <name>', '--base-data: column holding the label', 'label')
  .option('--positive <values>', '--base-data: label value(s) meaning churned (comma-separated)', commaList)
  .option('--negative <values>', '--base-data: label value(s) meaning the opposite', commaList)
  .option('--source-col <name>', '--base-data: column naming the source', 'source')
  .option(
    '--held-back-fraction <x>',
    'share of the newest outcomes held back for the comparison (never trained on)',
    num('--held-back-fraction'),
    0.2,
  )
  .option('--model <dir>', 'champion bundle (default: the active model in the store, else the bundled model)')
  .option('--models-dir <dir>', "--promote-if-better copies the challenger here (default: the champion's folder)")
  .option('--promote-if-better', 'activate the challenger when the 95% interval of its ROC-AUC gain lies above zero')
  .option('--store-text <mode>', 'privacy.storeText of the service that filled the store (env CHURNSCOPE_STORE_TEXT)')
  .option('--precision <p>', PRECISION_HELP)
  .option('--mode <mode>', 'training mode: auto, head, full or few-shot', 'auto')
  .option('--seed <n>', 'random seed (training)', int('--seed'))
  .option('--epochs <n>', 'epochs', int('--epochs'))
  .option('--backend <name>', 'TF.js backend: auto, tensorflow-gpu, tensorflow, wasm, cpu', 'auto')
  .option('--cache-dir <dir>', 'where frozen embeddings and the base encoder are cached')
  .option('--no-quantize', 'do not write the int8 model beside the fp32 one')
  .option('--resamples <n>', 'paired bootstrap resamples', int('--resamples'), 1000)
  .action(retrainCommand);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isChurnscopeError(e)) {
    process.stderr.write(`churnscope: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`churnscope: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
