// Writes a bundle's int8 model and gates it: refused when it loses more validation ROC-AUC than allowed; the card shows both.
import fs from 'node:fs';
import path from 'node:path';
import { quantizeModel } from '../../onnx/quantize';
import { BUNDLE_FILES, readValidationSet, validationSetPath } from '../../src/bundle';
import { ModelLoadError, QualityGateError } from '../../src/errors';
import type { Logger } from '../../src/logging';
import type { ModelCard } from '../report/model-card';
import { writeModelCard } from '../report/write-model-card';
import { comparePrecisions, type PrecisionComparison } from './precision-comparison';

/** The bar: int8 may cost at most this much validation ROC-AUC. */
export const DEFAULT_MAX_ROC_AUC_LOSS = 0.005;

export interface QuantizeBundleOptions {
  /** Bundle to read: config.json, onnx/model.onnx, the validation split and the card. */
  source: string;
  /** Folder that receives onnx/model_quantized.onnx and the updated card: a staging folder (may be `source` itself). */
  target: string;
  maxRocAucLoss?: number;
  /** ORT intra-op threads for the comparison runs; 0 = all cores. */
  threads?: number;
  logger: Logger;
}

export async function quantizeBundle(o: QuantizeBundleOptions): Promise<PrecisionComparison> {
  const maxRocAucLoss = o.maxRocAucLoss ?? DEFAULT_MAX_ROC_AUC_LOSS;
  const fp32Path = path.join(o.source, BUNDLE_FILES.model);
  const bytes = readModel(fp32Path);
  const validation = readValidationSet(o.source);
  const quantized = quantizeModel(bytes, fp32Path);
  const int8Path = path.join(o.target, BUNDLE_FILES.quantizedModel);
  fs.mkdirSync(path.dirname(int8Path), { recursive: true });
  fs.writeFileSync(int8Path, quantized.bytes);
  try {
    const figures = await comparePrecisions({
      bundleDir: o.source,
      fp32Path,
      int8Path,
      validation,
      threads: o.threads ?? 0,
      logger: o.logger,
    });
    const report: PrecisionComparison = {
      ...figures,
      maxRocAucLoss,
      quantizedProducts: quantized.quantized.length,
      keptProducts: quantized.kept,
    };
    gate(report, validationSetPath(o.source));
    writeCard(o.source, o.target, report);
    o.logger.info(
      {
        rocAucFp32: report.fp32.rocAuc,
        rocAucInt8: report.int8.rocAuc,
        rocAucLoss: report.rocAucLoss,
        maxAbsDiff: report.maxAbsDiff,
        products: report.quantizedProducts,
        file: int8Path,
      },
      'int8 model written and accepted by the quality gate',
    );
    return report;
  } catch (e) {
    fs.rmSync(int8Path, { force: true });
    throw e;
  }
}

function readModel(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ModelLoadError(`cannot read ${file}: ${reason}`, { file, cause: e });
  }
}

function gate(r: PrecisionComparison, file: string): void {
  if (r.fp32.rocAuc === null || r.int8.rocAuc === null)
    throw new QualityGateError(`cannot gate the int8 model: the validation split in ${file} has only one class`, {
      file,
    });
  if (r.rocAucLoss > r.maxRocAucLoss) {
    throw new QualityGateError(
      `int8 model refused: validation ROC-AUC ${r.int8.rocAuc.toFixed(4)} vs fp32 ${r.fp32.rocAuc.toFixed(4)} ` +
        `(loss ${r.rocAucLoss.toFixed(4)} > allowed ${r.maxRocAucLoss}) on ${r.fp32.n} texts; nothing written`,
      { file },
    );
  }
}

/** Bare bundles (no card) get only the file; a card gains the side-by-side figures in JSON and HTML. */
function writeCard(source: string, target: string, report: PrecisionComparison): void {
  const cardFile = path.join(source, BUNDLE_FILES.modelCard);
  if (!fs.existsSync(cardFile)) return;
  const card = { ...(JSON.parse(fs.readFileSync(cardFile, 'utf8')) as ModelCard), precisions: report };
  writeModelCard(target, card);
}
