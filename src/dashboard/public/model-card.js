// Active model panel: the served bundle's validation metrics and its ROC, precision-recall and calibration curves.
import { curveChart } from './charts.js';
import { clear, fixed, h, num, pct, shortDate } from './dom.js';

function metric(label, value, hint) {
  return h(
    'div',
    { class: 'metric', title: hint },
    h('span', { class: 'metric-value' }, value),
    h('span', { class: 'metric-label' }, label),
  );
}

/** How this server runs the bundle (set by the card route): precision, file and provider. */
function servingLine(serving) {
  if (!serving) return null;
  return h(
    'p',
    { class: 'muted small', 'data-serving': serving.precision },
    'Serving ',
    h('strong', {}, serving.precision),
    ' from ',
    h('code', {}, serving.modelFile),
    ` on ${serving.provider}`,
  );
}

const zip = (xs, ys) => xs.map((x, i) => ({ x, y: ys[i] }));

export function renderModelCard(body, card) {
  const m = card.metrics?.overall ?? {};
  const t = card.bands?.thresholds ?? {};
  const curves = card.curves ?? {};
  const charts = [];
  if (curves.roc)
    charts.push(
      curveChart({
        title: `ROC (AUC ${fixed(m.rocAuc, 3)})`,
        xLabel: 'false positive rate',
        yLabel: 'true positive rate',
        diagonal: true,
        series: [{ points: zip(curves.roc.fpr, curves.roc.tpr) }],
      }),
    );
  if (curves.pr)
    charts.push(
      curveChart({
        title: `Precision–recall (AUC ${fixed(m.prAuc, 3)})`,
        xLabel: 'recall',
        yLabel: 'precision',
        series: [{ points: zip(curves.pr.recall, curves.pr.precision) }],
      }),
    );
  if (curves.calibration) {
    const bins = curves.calibration.filter((b) => b.count > 0);
    const points = bins.map((b) => ({
      x: b.meanPredicted,
      y: b.fractionPositive,
      weight: b.count,
      label: `predicted ${pct(b.meanPredicted)}, observed ${pct(b.fractionPositive)} (${b.count} texts)`,
    }));
    charts.push(
      curveChart({
        title: `Calibration (ECE ${fixed(m.ece, 3)})`,
        xLabel: 'predicted risk',
        yLabel: 'observed share',
        diagonal: true,
        series: [{ points }, { points, dots: true }],
      }),
    );
  }
  clear(
    body,
    h(
      'p',
      { class: 'summary' },
      h('code', {}, card.version),
      ` · ${card.encoder?.family ?? '?'} encoder, ${card.mode ?? '?'} mode · trained ${shortDate(card.createdAt)} on ${num(card.data?.rows)} texts`,
    ),
    servingLine(card.serving),
    h(
      'div',
      { class: 'metrics' },
      metric('ROC-AUC', fixed(m.rocAuc, 3), 'How well risk ranks churners above others (validation split)'),
      metric('PR-AUC', fixed(m.prAuc, 3), 'Precision averaged over recall'),
      metric('Brier', fixed(m.brier, 3), 'Mean squared error of the risk; lower is better'),
      metric('ECE', fixed(m.ece, 3), 'Expected calibration error; lower is better'),
      metric('Validation texts', num(m.n), `${num(m.positives)} dissatisfied`),
    ),
    h(
      'p',
      { class: 'muted small' },
      `Bands: medium from ${pct(t.medium)}, high from ${pct(t.high)}, critical from ${pct(t.critical)} risk.`,
    ),
    h('div', { class: 'curves' }, charts),
  );
  return 'ready';
}
