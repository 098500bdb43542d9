// Fusion training pipeline: customers + scored texts → aggregates → FusionModel on a stratified split, held-out ROC-AUC per signal, fusion.json.
import { writeFileAtomicSync } from '../io';
import type { EngineConfig } from '../config';
import { DataFileError, ValidationError } from '../errors';
import type { Logger } from '../logging';
import { rocAuc } from '../metrics';
import { stratifiedSplit } from '../sampling';
import { bundleTextScorer, type ScoreTexts } from './bundle-text-scorer';
import { loadFeatureSchema } from './feature-schema';
import { FusionModel, type FusionMethod } from './fusion-model';
import { LateFusion } from './late-fusion';
import type { GbdtParamsInput } from './gbdt';
import { readCustomers, readCustomerTexts, type CustomerTexts } from './read-fusion-data';
import { aggregateTextRisks, DEFAULT_HALF_LIFE_DAYS, type ScoredText, type TextAggregates } from './text-aggregates';

export interface TrainFusionOptions {
  customersFile: string;
  schemaFile: string;
  labelColumn: string;
  idColumn: string;
  textsFile?: string;
  textColumn?: string;
  customerColumn?: string;
  timeColumn?: string;
  /** Text model bundle; needed when there are texts and no `scoreTexts`. */
  bundleDir?: string;
  /** Where fusion.json is written. */
  out: string;
  seed?: number;
  logger: Logger;
  /** Calibrated risk per text; defaults to the engine on bundleDir (tests inject a fake). */
  scoreTexts?: ScoreTexts;
  engineConfig?: EngineConfig;
  /** Reference time for text ages; defaults to the newest text, so retraining on an old export ages it as of then. */
  now?: Date | number | string;
  halfLifeDays?: number;
  /** Share of customers held out for the report (default 0.25). */
  testFraction?: number;
  params?: Omit<GbdtParamsInput, 'seed'>;
  /** How texts join behaviour; FusionModel's default when absent. */
  method?: FusionMethod;
}

/** ROC-AUC rounded for reports; null when the held-out group holds one class only. */
type Auc = number | null;

export interface FusionReport {
  out: string;
  seed: number;
  seconds: number;
  customers: { file: string; rows: number; churned: number; train: number; heldOut: number };
  texts:
    | (Omit<CustomerTexts, 'texts'> & {
        used: number;
        uniqueScored: number;
        customersWithTexts: number;
        now: string;
        halfLifeDays: number;
        textModel?: string;
      })
    | null;
  /** Every held-out customer: tabular-only vs the fusion model as served (tabular path for customers without texts). */
  heldOut: { customers: number; tabular: Auc; fused: Auc };
  /** Held-out customers who wrote: the only ones text-only can score, so all three compare here on equal terms. */
  heldOutWithTexts: { customers: number; text: Auc; textLatest: Auc; tabular: Auc; fused: Auc };
  /** What was fitted: tree counts (fused trees only under 'trees') and, under 'late', the stacker's weights by input. */
  model: {
    method: FusionMethod;
    trees: { tabular: number; fused: number | null };
    stacker: { intercept: number; weights: Record<string, number> } | null;
  };
}

function auc(scores: number[], labels: number[]): Auc {
  const a = rocAuc(scores, labels);
  return Number.isFinite(a) ? Number(a.toFixed(4)) : null;
}

async function scoreFileTexts(texts: CustomerTexts, score: ScoreTexts): Promise<number[]> {
  // Scoring dominates training time and review exports repeat texts; each distinct text is scored once.
  const unique = [...new Set(texts.texts.map((t) => t.text))];
  let risks: number[];
  try {
    risks = await score(unique);
  } catch (e) {
    const k = e instanceof ValidationError ? Number(/^texts\[(\d+)\]$/.exec(e.field ?? '')?.[1]) : Number.NaN;
    if (!Number.isInteger(k)) throw e;
    const bad = texts.texts.find((t) => t.text === unique[k])!;
    throw new DataFileError(`${texts.file} line ${bad.line}: ${(e as Error).message}`, {
      file: texts.file,
      row: bad.line,
      field: 'text',
      cause: e,
    });
  }
  if (risks.length !== unique.length)
    throw new ValidationError(`scoreTexts returned ${risks.length} risks for ${unique.length} texts`, {
      field: 'scoreTexts',
    });
  const byText = new Map(unique.map((t, i) => [t, risks[i]]));
  return texts.texts.map((t) => byText.get(t.text)!);
}

export async function trainFusion(opts: TrainFusionOptions): Promise<FusionReport> {
  const started = performance.now();
  const seed = opts.seed ?? 0;
  const halfLifeDays = opts.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const { logger } = opts;
  const schema = loadFeatureSchema(opts.schemaFile);
  const customers = await readCustomers({
    file: opts.customersFile,
    schema,
    labelColumn: opts.labelColumn,
    idColumn: opts.idColumn,
  });
  const n = customers.ids.length;
  logger.info({ customers: n }, 'fusion: customers read');

  const aggregates = new Array<TextAggregates | null>(n).fill(null);
  let textReport: FusionReport['texts'] = null;
  let textModel: string | undefined;
  if (opts.textsFile) {
    const texts = await readCustomerTexts({
      file: opts.textsFile,
      textColumn: opts.textColumn ?? 'text',
      customerColumn: opts.customerColumn ?? 'customer_id',
      timeColumn: opts.timeColumn ?? 'timestamp',
      known: customers.byId,
    });
    let score = opts.scoreTexts;
    if (!score) {
      if (!opts.bundleDir)
        throw new ValidationError('bundleDir (the text model) is needed to score the texts file', {
          field: 'bundleDir',
        });
      const scorer = bundleTextScorer({ bundleDir: opts.bundleDir, logger, config: opts.engineConfig });
      ({ score } = scorer);
      textModel = scorer.version;
    }
    const risks = await scoreFileTexts(texts, score);
    logger.info({ texts: risks.length }, 'fusion: texts scored');
    const now = opts.now ?? texts.texts.reduce((m, t) => Math.max(m, t.createdAt), 0);
    const perCustomer = new Map<number, ScoredText[]>();
    texts.texts.forEach((t, i) => {
      const idx = customers.byId.get(t.customerId)!;
      if (!perCustomer.has(idx)) perCustomer.set(idx, []);
      perCustomer.get(idx)!.push({ risk: risks[i], createdAt: t.createdAt });
    });
    for (const [idx, list] of perCustomer) aggregates[idx] = aggregateTextRisks(list, { now, halfLifeDays });
    const { texts: _used, ...counts } = texts;
    textReport = {
      ...counts,
      used: texts.texts.length,
      uniqueScored: new Set(texts.texts.map((t) => t.text)).size,
      customersWithTexts: perCustomer.size,
      now: new Date(now).toISOString(),
      halfLifeDays,
      ...(textModel ? { textModel } : {}),
    };
  }

  const split = stratifiedSplit(customers.labels, opts.testFraction ?? 0.25, seed);
  const model = FusionModel.train({
    rows: split.train.map((i) => customers.rows[i]),
    labelOf: (_row, k) => customers.labels[split.train[k]],
    schema,
    textAggregates: split.train.map((i) => aggregates[i]),
    seed,
    params: opts.params,
    halfLifeDays,
    textModel,
    method: opts.method,
  });
  const { combiner } = model;
  const stacker =
    combiner instanceof LateFusion
      ? {
          intercept: combiner.stacker.intercept,
          weights: Object.fromEntries(combiner.stacker.names.map((name, j) => [name, combiner.stacker.weights[j]])),
        }
      : null;
  const trees = { tabular: model.tabular.nTrees, fused: combiner instanceof LateFusion ? null : combiner.fused.nTrees };
  logger.info({ method: model.method, trees }, 'fusion: models trained');

  const held = split.valid.map((i) => {
    const p = model.predict({ features: customers.rows[i], textAggregates: aggregates[i] });
    return { label: customers.labels[i], fused: p.risk, tabular: p.tabularRisk!, text: aggregates[i] };
  });
  const wrote = held.filter((h) => h.text !== null);
  const labelsOf = (hs: typeof held) => hs.map((h) => h.label);
  writeFileAtomicSync(opts.out, `${JSON.stringify(model)}\n`);
  return {
    out: opts.out,
    seed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    customers: {
      file: opts.customersFile,
      rows: n,
      churned: customers.labels.filter((l) => l === 1).length,
      train: split.train.length,
      heldOut: split.valid.length,
    },
    texts: textReport,
    heldOut: {
      customers: held.length,
      tabular: auc(
        held.map((h) => h.tabular),
        labelsOf(held),
      ),
      fused: auc(
        held.map((h) => h.fused),
        labelsOf(held),
      ),
    },
    heldOutWithTexts: {
      customers: wrote.length,
      text: auc(
        wrote.map((h) => h.text!.recencyWeightedMean),
        labelsOf(wrote),
      ),
      textLatest: auc(
        wrote.map((h) => h.text!.latest),
        labelsOf(wrote),
      ),
      tabular: auc(
        wrote.map((h) => h.tabular),
        labelsOf(wrote),
      ),
      fused: auc(
        wrote.map((h) => h.fused),
        labelsOf(wrote),
      ),
    },
    model: { method: model.method, trees, stacker },
  };
}
