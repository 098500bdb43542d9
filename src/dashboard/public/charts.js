// Inline SVG charts drawn from API data: risk histogram, weekly sparkline, and the model card's 0–1 curve plots.
import { pct, s } from './dom.js';

const BAND_ORDER = ['low', 'medium', 'high', 'critical'];

function niceMax(value) {
  if (value <= 5) return Math.max(1, value);
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** Bars of texts per risk bin, shaded by the band of each bin's midpoint, with the model's band thresholds marked. */
export function histogram(bins, { thresholds } = {}) {
  const W = 560,
    H = 220,
    L = 40,
    R = 10,
    T = 12,
    B = 34;
  const max = niceMax(Math.max(0, ...bins.map((b) => b.count)));
  const x = (v) => L + v * (W - L - R);
  const y = (c) => H - B - (c / max) * (H - T - B);
  const band = (mid) =>
    thresholds ? [...BAND_ORDER].reverse().find((b) => b === 'low' || mid >= thresholds[b]) : 'unknown';
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart histogram',
    role: 'img',
    'aria-label': 'Risk distribution of scored texts',
  });
  for (const frac of [0, 0.5, 1]) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(max * frac), y2: y(max * frac), class: 'grid' }));
    svg.append(
      s('text', { x: L - 6, y: y(max * frac) + 4, class: 'tick', 'text-anchor': 'end' }, Math.round(max * frac)),
    );
  }
  for (const b of bins) {
    const bar = s('rect', {
      x: x(b.from) + 1,
      width: Math.max(1, x(b.to) - x(b.from) - 2),
      y: y(b.count),
      height: Math.max(0, H - B - y(b.count)),
      class: `bar band-${band((b.from + b.to) / 2)}`,
    });
    bar.append(s('title', {}, `${pct(b.from)}–${pct(b.to)} risk: ${b.count} text${b.count === 1 ? '' : 's'}`));
    svg.append(bar);
  }
  for (const v of [0, 0.25, 0.5, 0.75, 1])
    svg.append(s('text', { x: x(v), y: H - B + 16, class: 'tick', 'text-anchor': 'middle' }, pct(v)));
  svg.append(s('text', { x: (L + W - R) / 2, y: H - 2, class: 'axis-label', 'text-anchor': 'middle' }, 'risk'));
  for (const name of ['medium', 'high', 'critical']) {
    const t = thresholds?.[name];
    if (typeof t !== 'number') continue;
    svg.append(s('line', { x1: x(t), x2: x(t), y1: T - 4, y2: H - B, class: `threshold band-${name}` }));
    svg.append(s('text', { x: x(t) + 3, y: T + 4, class: 'threshold-label' }, name));
  }
  return svg;
}

/** Weekly counts with missing weeks filled as zero, so the line's slope means change over time. */
export function fillWeeks(weekly) {
  const sorted = [...(weekly ?? [])].sort((a, b) => a.week.localeCompare(b.week));
  if (sorted.length < 2) return sorted;
  const byWeek = new Map(sorted.map((w) => [w.week, w.count]));
  const out = [];
  const end = Date.parse(sorted[sorted.length - 1].week);
  for (let t = Date.parse(sorted[0].week); t <= end && out.length < 520; t += 7 * 86_400_000) {
    const week = new Date(t).toISOString().slice(0, 10);
    out.push({ week, count: byWeek.get(week) ?? 0 });
  }
  return out;
}

/** A small trend line of weekly counts; the title lists every week for a hover read-out. */
export function sparkline(weekly, { width = 140, height = 32 } = {}) {
  const weeks = fillWeeks(weekly);
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: 'sparkline',
    role: 'img',
    'aria-label': 'Weekly trend',
  });
  svg.append(s('title', {}, weeks.map((w) => `week of ${w.week}: ${w.count}`).join('\n') || 'no dated texts'));
  if (weeks.length === 0) return svg;
  const max = Math.max(1, ...weeks.map((w) => w.count));
  const px = (i) => (weeks.length === 1 ? width / 2 : 2 + (i / (weeks.length - 1)) * (width - 4));
  const py = (c) => height - 3 - (c / max) * (height - 6);
  const points = weeks.map((w, i) => `${px(i).toFixed(1)},${py(w.count).toFixed(1)}`);
  svg.append(
    s('polygon', {
      points: `${px(0).toFixed(1)},${height - 1} ${points.join(' ')} ${px(weeks.length - 1).toFixed(1)},${height - 1}`,
      class: 'spark-area',
    }),
  );
  svg.append(s('polyline', { points: points.join(' '), class: 'spark-line' }));
  const last = weeks[weeks.length - 1];
  svg.append(s('circle', { cx: px(weeks.length - 1), cy: py(last.count), r: 2.5, class: 'spark-dot' }));
  return svg;
}

/**
 * A square plot over [0, 1] × [0, 1]: one or more series as lines (or dots sized by weight), an optional dashed
 * diagonal for reference (chance for ROC, perfect calibration).
 */
export function curveChart({ title, xLabel, yLabel, series, diagonal = false }) {
  const W = 260,
    H = 250,
    L = 40,
    R = 10,
    T = 26,
    B = 38;
  const x = (v) => L + v * (W - L - R);
  const y = (v) => H - B - v * (H - T - B);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart curve', role: 'img', 'aria-label': title });
  svg.append(s('text', { x: L, y: 16, class: 'chart-title' }, title));
  for (const v of [0, 0.5, 1]) {
    svg.append(s('line', { x1: x(0), x2: x(1), y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('line', { x1: x(v), x2: x(v), y1: y(0), y2: y(1), class: 'grid' }));
    svg.append(s('text', { x: x(v), y: H - B + 14, class: 'tick', 'text-anchor': 'middle' }, v));
    svg.append(s('text', { x: L - 5, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, v));
  }
  svg.append(s('text', { x: (L + W - R) / 2, y: H - 6, class: 'axis-label', 'text-anchor': 'middle' }, xLabel));
  svg.append(
    s(
      'text',
      {
        x: 12,
        y: (T + H - B) / 2,
        class: 'axis-label',
        'text-anchor': 'middle',
        transform: `rotate(-90 12 ${(T + H - B) / 2})`,
      },
      yLabel,
    ),
  );
  if (diagonal) svg.append(s('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), class: 'reference' }));
  for (const sr of series) {
    if (sr.dots) {
      const maxW = Math.max(1, ...sr.points.map((p) => p.weight ?? 1));
      for (const p of sr.points) {
        const dot = s('circle', {
          cx: x(p.x),
          cy: y(p.y),
          r: 2.5 + 4 * Math.sqrt((p.weight ?? 1) / maxW),
          class: 'curve-dot',
        });
        dot.append(s('title', {}, p.label ?? `${p.x.toFixed(2)}, ${p.y.toFixed(2)}`));
        svg.append(dot);
      }
    } else {
      svg.append(
        s('polyline', {
          points: sr.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' '),
          class: 'curve-line',
        }),
      );
    }
  }
  return svg;
}
