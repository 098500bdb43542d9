// Writes the servable bundle: ONNX graph, tokenizer, config with calibration and bands, model card; checked against TF.js first.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  writeBaseline,
  writeDriftReference,
  writeValidationSet,
  type BundleInfo,
  type ValidationSet,
} from '../../src/bundle';
import type { TfidfBaseline } from '../../src/baseline';
import { engineDefaults } from '../../src/config';
import { driftReferenceForBundle } from '../../src/drift';
import { createEngine } from '../../src/engine';
import { ModelLoadError, QualityGateError } from '../../src/errors';
import type { Logger } from '../../src/logging';
import { buildUseLiteModel, writeHfBundle } from '../../onnx';
import type { UseLiteParams } from '../encoders/use-lite';
import type { HybridHeadParams } from '../../onnx/params/hybrid-head-params';
import { quantizeBundle } from '../quantize';
import type { ModelCard } from '../report/model-card';
import { writeModelCard } from '../report/write-model-card';

export const PARITY_TOLERANCE = 1e-4;

export interface ExportBundleOptions {
  out: string;
  overwrite: boolean;
  /** USE-lite parameters to export; or give the finished graph as modelBytes (any encoder family). */
  encoderParams?: UseLiteParams;
  modelBytes?: Uint8Array;
  /** config.json fields beside the churnscope section (e.g. model_type bert). */
  hfConfig?: Record<string, unknown>;
  head: HybridHeadParams;
  tokenizerJson: object;
  info: BundleInfo;
  card: ModelCard;
  /** The same token windows scored by TF.js: ONNX Runtime must agree within PARITY_TOLERANCE. */
  parity: { ids: Int32Array[]; tfProbs: Float32Array };
  /** Kept in the bundle, so `churnscope quantize` can gate an int8 file later on the same texts. */
  validation: ValidationSet;
  /** The TF-IDF baseline fitted on the same split, kept so `eval` can score new data both ways. */
  baseline?: TfidfBaseline;
  /** Also write the int8 model when it passes the quality gate (false: fp32 only). */
  quantize: false | { maxRocAucLoss?: number };
  logger: Logger;
}

export async function exportTrainedBundle(opts: ExportBundleOptions): Promise<ModelCard> {
  const out = path.resolve(opts.out);
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.staging-${randomUUID()}`);
  try {
    const modelBytes =
      opts.modelBytes ??
      buildUseLiteModel({
        params: requireParams(opts.encoderParams),
        head: opts.head,
        metadata: { churnscope_version: opts.info.version },
      });
    await writeHfBundle({
      outDir: staging,
      modelBytes,
      tokenizerJson: opts.tokenizerJson,
      config: { ...opts.hfConfig, churnscope: opts.info },
      logger: opts.logger,
    });
    const parity = await checkParity(staging, opts);
    writeValidationSet(staging, opts.validation);
    if (opts.baseline) writeBaseline(staging, opts.baseline);
    let card: ModelCard = { ...opts.card, parity };
    writeModelCard(staging, card);
    if (opts.quantize) card = await withInt8(staging, card, opts.quantize.maxRocAucLoss, opts.logger);
    // After the int8 step: the reference is scored by the file a CPU server will run (int8 when the gate kept it).
    writeDriftReference(staging, await driftReferenceForBundle({ dir: staging, logger: opts.logger }));
    if (fs.existsSync(out)) {
      if (!opts.overwrite)
        throw new ModelLoadError(`output directory ${out} already exists; choose another --out or pass --overwrite`);
      fs.rmSync(out, { recursive: true, force: true });
    }
    fs.renameSync(staging, out);
    return card;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The int8 file and its figures; a model the gate refuses ships fp32 only, and its card says why. */
async function withInt8(
  dir: string,
  card: ModelCard,
  maxRocAucLoss: number | undefined,
  logger: Logger,
): Promise<ModelCard> {
  try {
    return { ...card, precisions: await quantizeBundle({ source: dir, target: dir, maxRocAucLoss, logger }) };
  } catch (e) {
    if (!(e instanceof QualityGateError)) throw e;
    logger.warn({ reason: e.message }, 'no int8 model in this bundle');
    const refused = { ...card, notes: [...card.notes, `No int8 model: ${e.message}.`] };
    writeModelCard(dir, refused);
    return refused;
  }
}

async function checkParity(dir: string, opts: ExportBundleOptions): Promise<NonNullable<ModelCard['parity']>> {
  const engine = await createEngine({
    bundleDir: dir,
    config: engineDefaults({ providers: ['cpu'], precision: 'fp32' }),
    logger: opts.logger,
  });
  try {
    const { probabilities } = await engine.embedTokenized(opts.parity.ids);
    let maxAbsDiff = 0;
    probabilities.forEach((p, i) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(p - opts.parity.tfProbs[i]))));
    opts.logger.info({ maxAbsDiff, texts: probabilities.length }, 'export parity: TF.js vs ONNX Runtime');
    if (!(maxAbsDiff <= PARITY_TOLERANCE)) {
      throw new ModelLoadError(
        `exported ONNX model disagrees with the trained TF.js model: max |Δp| ${maxAbsDiff} > ${PARITY_TOLERANCE}`,
      );
    }
    return { maxAbsDiff, texts: probabilities.length, tolerance: PARITY_TOLERANCE };
  } finally {
    await engine.dispose();
  }
}

function requireParams(params: UseLiteParams | undefined): UseLiteParams {
  if (!params) throw new ModelLoadError('exportTrainedBundle needs encoderParams or modelBytes');
  return params;
}
