// `churnscope quantize`: writes a bundle's int8 model (onnx/model_quantized.onnx) through the quality gate, staged then renamed.

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../io';
import { commandLogger } from './command-logger';
import { BUNDLE_FILES, readBundleInfo } from '../bundle';
import { ValidationError } from '../errors';

export interface QuantizeFlags {
  model: string;
  out?: string;
  overwrite?: boolean;
  maxAucLoss?: number;
  threads?: number;
}

export async function quantizeCommand(flags: QuantizeFlags): Promise<void> {
  // Only the quantizer and the card renderer load: neither pulls TF.js.
  const { quantizeBundle, DEFAULT_MAX_ROC_AUC_LOSS } = await import('../../training/quantize');
  const source = path.resolve(flags.model);
  checkBundle(source, flags);
  const maxRocAucLoss = flags.maxAucLoss ?? DEFAULT_MAX_ROC_AUC_LOSS;
  if (!(maxRocAucLoss >= 0 && maxRocAucLoss <= 1))
    throw new ValidationError(`--max-auc-loss must be between 0 and 1, got ${maxRocAucLoss}`, {
      field: 'max-auc-loss',
    });
  const logger = commandLogger();
  const out = flags.out === undefined ? source : path.resolve(flags.out);
  const staging = path.join(path.dirname(out), `.${path.basename(out)}.quantize-${randomUUID()}`);
  try {
    if (out !== source) {
      // A whole new bundle: copy, add the int8 file and card, then one rename publishes it.
      fs.cpSync(source, staging, { recursive: true });
      fs.rmSync(path.join(staging, BUNDLE_FILES.quantizedModel), { force: true });
    }
    const report = await quantizeBundle({
      source: out === source ? source : staging,
      target: staging,
      maxRocAucLoss,
      threads: flags.threads ?? 0,
      logger,
    });
    if (out === source) publishInPlace(staging, source);
    else fs.renameSync(staging, out);
    process.stdout.write(
      `${JSON.stringify(
        {
          out: path.join(out, BUNDLE_FILES.quantizedModel),
          bytes: fs.statSync(path.join(out, BUNDLE_FILES.quantizedModel)).size,
          fp32: { rocAuc: report.fp32.rocAuc, prAuc: report.fp32.prAuc, brier: report.fp32.brier },
          int8: { rocAuc: report.int8.rocAuc, prAuc: report.int8.prAuc, brier: report.int8.brier },
          rocAucLoss: report.rocAucLoss,
          maxRocAucLoss: report.maxRocAucLoss,
          maxAbsDiff: report.maxAbsDiff,
          meanAbsDiff: report.meanAbsDiff,
          texts: report.fp32.n,
          quantizedProducts: report.quantizedProducts,
          keptProducts: report.keptProducts,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function checkBundle(source: string, flags: QuantizeFlags): void {
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory())
    throw new ValidationError(`--model ${flags.model} is not a model bundle directory`, { field: 'model' });
  readBundleInfo(source);
  if (flags.out !== undefined && fs.existsSync(flags.out))
    throw new ValidationError(`--out ${flags.out} already exists; choose a new folder`, { field: 'out' });
  if (flags.out === undefined && fs.existsSync(path.join(source, BUNDLE_FILES.quantizedModel)) && !flags.overwrite)
    throw new ValidationError(
      `${path.join(source, BUNDLE_FILES.quantizedModel)} already exists; pass --overwrite to rewrite it`,
      { field: 'overwrite' },
    );
}

/** The int8 file first, then the card: each write is atomic, and a card never describes a file that is not there. */
function publishInPlace(staging: string, bundle: string): void {
  for (const file of [BUNDLE_FILES.quantizedModel, BUNDLE_FILES.modelCard, BUNDLE_FILES.modelCardHtml]) {
    const from = path.join(staging, file);
    if (fs.existsSync(from)) writeFileAtomicSync(path.join(bundle, file), fs.readFileSync(from));
  }
}
