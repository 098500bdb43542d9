// Renders a model card as one self-contained HTML page (inline SVG, inline CSS, nothing fetched).
import type { EvalMetrics } from '../../src/metrics';
import type { ModelCard } from './model-card';
import { confusionMatrixSvg, escapeHtml, lineChart } from './svg';

const pct = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));

function metricsRow(name: string, m: EvalMetrics): string {
  return (
    `<tr><td>${escapeHtml(name)}</td><td>${m.n}</td><td>${m.positives}</td><td>${pct(m.rocAuc)}</td><td>${pct(m.prAuc)}</td>` +
    `<td>${m.precision.toFixed(3)}</td><td>${m.recall.toFixed(3)}</td><td>${m.f1.toFixed(3)}</td><td>${m.brier.toFixed(4)}</td><td>${m.ece.toFixed(4)}</td></tr>`
  );
}

export function renderModelCardHtml(card: ModelCard): string {
  const { curves, metrics, training, bands } = card;
  const roc = lineChart({
    title: `ROC (AUC ${pct(metrics.overall.rocAuc)})`,
    xLabel: 'false positive rate',
    yLabel: 'true positive rate',
    xDomain: [0, 1],
    yDomain: [0, 1],
    series: [
      { label: 'model', x: curves.roc.fpr, y: curves.roc.tpr },
      { label: 'chance', x: [0, 1], y: [0, 1], dashed: true },
    ],
  });
  const pr = lineChart({
    title: `Precision-recall (AP ${pct(metrics.overall.prAuc)})`,
    xLabel: 'recall',
    yLabel: 'precision',
    xDomain: [0, 1],
    yDomain: [0, 1],
    series: [{ label: 'model', x: curves.pr.recall, y: curves.pr.precision }],
  });
  const bins = curves.calibration.filter((b) => b.count > 0);
  const calibration = lineChart({
    title: `Calibration (ECE ${metrics.overall.ece.toFixed(3)})`,
    xLabel: 'predicted risk',
    yLabel: 'observed rate',
    xDomain: [0, 1],
    yDomain: [0, 1],
    series: [
      { label: card.calibration.method, x: bins.map((b) => b.meanPredicted), y: bins.map((b) => b.fractionPositive) },
      { label: 'perfect', x: [0, 1], y: [0, 1], dashed: true },
    ],
  });
  const loss = lineChart({
    title: 'Training',
    xLabel: 'epoch',
    yLabel: 'value',
    series: [
      { label: 'train loss', x: training.history.map((h) => h.epoch + 1), y: training.history.map((h) => h.trainLoss) },
      {
        label: 'valid ROC-AUC',
        x: training.history.map((h) => h.epoch + 1),
        y: training.history.map((h) => h.validAuc),
      },
    ],
  });
  const confusion = confusionMatrixSvg(
    metrics.overall.confusion,
    `Confusion at risk ≥ ${metrics.overall.threshold.toFixed(3)}`,
  );
  const sourceRows = Object.entries(metrics.bySource)
    .map(([s, m]) => metricsRow(s, m))
    .join('');
  const bandRows = (['medium', 'high', 'critical'] as const)
    .map(
      (b) =>
        `<tr><td>${b}</td><td>${bands.thresholds[b].toFixed(3)}</td><td>${bands.achieved[b].precision.toFixed(3)}</td><td>${bands.achieved[b].recall.toFixed(3)}</td><td>${bands.achieved[b].reached ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>churnscope model ${escapeHtml(card.version)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}code{background:#f4f4f4;padding:1px 4px}</style></head><body>
<h1>Model card: ${escapeHtml(card.version)}</h1>
<p>Created ${escapeHtml(card.createdAt)} · encoder <code>${escapeHtml(card.encoder.family)}</code> (${card.encoder.maxTokens} tokens per window) · mode <code>${card.mode}</code> · TF.js backend <code>${escapeHtml(training.backend)}</code> · calibration <code>${escapeHtml(card.calibration.method)}</code></p>
<p>Data: ${card.data.rows} labelled texts (${card.data.positives} positive; ${card.data.skippedEmpty} empty rows skipped) from ${card.data.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}. Split: ${card.split.train} train / ${card.split.valid} validation (seed ${card.split.seed}). Training took ${training.seconds.toFixed(1)} s; best epoch ${training.bestEpoch + 1}.</p>
<h2>Validation metrics</h2>
<table><tr><th>slice</th><th>n</th><th>positives</th><th>ROC-AUC</th><th>PR-AUC</th><th>precision</th><th>recall</th><th>F1</th><th>Brier</th><th>ECE</th></tr>
${metricsRow('all (calibrated)', metrics.overall)}${metricsRow('all (uncalibrated)', metrics.uncalibrated)}${sourceRows}</table>
<h2>Risk bands</h2><table><tr><th>band</th><th>from risk</th><th>precision</th><th>recall</th><th>target reached</th></tr>${bandRows}</table>
<div class="charts">${roc}${pr}${calibration}${loss}${confusion}</div>
${card.parity ? `<p>Export parity (TF.js vs ONNX Runtime): max |Δprobability| ${card.parity.maxAbsDiff.toExponential(2)} over ${card.parity.texts} texts (tolerance ${card.parity.tolerance}).</p>` : ''}
${card.baseline ? baselineSection(card.baseline) : ''}
${card.precisions ? precisionSection(card.precisions) : ''}
${card.notes.length ? `<h2>Notes</h2><ul>${card.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}
</body></html>`;
}

function baselineSection(b: NonNullable<ModelCard['baseline']>): string {
  const verdict = b.modelBeatsBaseline
    ? `The model beats it by ${b.rocAucMargin.toFixed(4)} ROC-AUC.`
    : `<strong>The model does not beat it</strong> (${b.rocAucMargin.toFixed(4)} ROC-AUC): on this data the language model does not earn its cost.`;
  return `<h2>Baseline: TF-IDF + logistic regression</h2>
<p>Word 1–2-grams, sublinear TF-IDF, L2-regularised logistic regression, fitted on the same training split and scored on the same ${b.texts} validation texts. ${verdict}</p>
<table><tr><th>model</th><th>ROC-AUC</th><th>PR-AUC</th></tr>
<tr><td>this model (calibrated)</td><td>${b.model.rocAuc.toFixed(4)}</td><td>${b.model.prAuc.toFixed(4)}</td></tr>
<tr><td>TF-IDF + LR baseline</td><td>${b.baseline.rocAuc.toFixed(4)}</td><td>${b.baseline.prAuc.toFixed(4)}</td></tr></table>`;
}

function precisionSection(p: NonNullable<ModelCard['precisions']>): string {
  const kept = p.keptProducts.length ? ` ${p.keptProducts.length} kept in fp32.` : '';
  return `<h2>Precision: fp32 and int8</h2>
<p>Both files scored the validation split with the served calibration, at risk ≥ ${p.fp32.threshold.toFixed(3)}. int8: ${p.quantizedProducts} weight products with int8 weights (per output channel) and dynamic uint8 activations; softmax, LayerNorm, GELU and gathers stay fp32.${kept} ROC-AUC loss ${p.rocAucLoss.toFixed(4)} (allowed ${p.maxRocAucLoss}); |Δrisk| max ${p.maxAbsDiff.toFixed(4)}, mean ${p.meanAbsDiff.toFixed(4)}.</p>
<table><tr><th>file</th><th>n</th><th>positives</th><th>ROC-AUC</th><th>PR-AUC</th><th>precision</th><th>recall</th><th>F1</th><th>Brier</th><th>ECE</th></tr>
${metricsRow('fp32 onnx/model.onnx', p.fp32)}${metricsRow('int8 onnx/model_quantized.onnx', p.int8)}</table>`;
}
