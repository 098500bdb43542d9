// `churnscope train-fusion`: flags → trainFusion → the held-out report as JSON on stdout.
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { trainFusion } from '../fuse/train-fusion';

export interface TrainFusionFlags {
  /** auto | fp32 | int8, validated by loadConfig. */
  precision?: string;
  customers: string;
  schema: string;
  labelCol: string;
  idCol: string;
  texts?: string;
  textCol?: string;
  customerCol?: string;
  timeCol?: string;
  /** Text model bundle; the bundled default when absent. */
  model?: string;
  out: string;
  seed?: number | string;
}

const FLAG_NAMES = {
  customers: 'customers',
  schema: 'schema',
  labelCol: 'label-col',
  idCol: 'id-col',
  out: 'out',
} as const;

function required(flags: TrainFusionFlags, name: 'customers' | 'schema' | 'labelCol' | 'idCol' | 'out'): string {
  const v = flags[name];
  if (typeof v !== 'string' || v.trim() === '')
    throw new ValidationError(`--${FLAG_NAMES[name]} is required`, { field: FLAG_NAMES[name] });
  return v;
}

export async function trainFusionCommand(flags: TrainFusionFlags): Promise<void> {
  const seed = flags.seed === undefined ? 0 : Number(flags.seed);
  if (!Number.isInteger(seed))
    throw new ValidationError(`--seed must be an integer, got "${flags.seed}"`, { field: 'seed' });
  const config = loadConfig({ env: process.env, flags: { model: flags.model, precision: flags.precision } });
  const logger = commandLogger();
  const report = await trainFusion({
    customersFile: required(flags, 'customers'),
    schemaFile: required(flags, 'schema'),
    labelColumn: required(flags, 'labelCol'),
    idColumn: required(flags, 'idCol'),
    textsFile: flags.texts,
    textColumn: flags.textCol,
    customerColumn: flags.customerCol,
    timeColumn: flags.timeCol,
    bundleDir: config.modelDir,
    engineConfig: config.engine,
    out: required(flags, 'out'),
    seed,
    logger,
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
