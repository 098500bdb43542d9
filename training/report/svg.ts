// Minimal inline-SVG charts for self-contained reports: no scripts, no external assets.

export interface Series {
  label: string;
  x: readonly number[];
  y: readonly number[];
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Fixed axes (e.g. [0,1] for ROC); otherwise fitted to the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  width?: number;
  height?: number;
}

const COLORS = ['#c0392b', '#2c3e50', '#2980b9', '#27ae60', '#8e44ad', '#d35400'];

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function domain(values: number[], fixed?: [number, number]): [number, number] {
  if (fixed) return fixed;
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

export function lineChart(o: LineChartOptions): string {
  const W = o.width ?? 360;
  const H = o.height ?? 260;
  const m = { l: 48, r: 12, t: 28, b: 40 };
  const [x0, x1] = domain(
    o.series.flatMap((s) => [...s.x]),
    o.xDomain,
  );
  const [y0, y1] = domain(
    o.series.flatMap((s) => [...s.y]),
    o.yDomain,
  );
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const ticks = (a: number, b: number) => Array.from({ length: 5 }, (_, i) => a + ((b - a) * i) / 4);
  const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  const axes = [
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#555"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#555"/>`,
    ...ticks(x0, x1).map(
      (v) => `<text x="${sx(v)}" y="${H - m.b + 14}" font-size="10" text-anchor="middle">${fmt(v)}</text>`,
    ),
    ...ticks(y0, y1).map(
      (v) => `<text x="${m.l - 4}" y="${sy(v) + 3}" font-size="10" text-anchor="end">${fmt(v)}</text>`,
    ),
    `<text x="${(W + m.l) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${escapeHtml(o.xLabel)}</text>`,
    `<text x="12" y="${(H - m.b + m.t) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(H - m.b + m.t) / 2})">${escapeHtml(o.yLabel)}</text>`,
    `<text x="${W / 2}" y="16" font-size="13" font-weight="bold" text-anchor="middle">${escapeHtml(o.title)}</text>`,
  ];
  const lines = o.series.map((s, i) => {
    const pts = s.x.map((x, k) => [x, s.y[k]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const d = pts.map(([x, y], k) => `${k ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    const color = COLORS[i % COLORS.length];
    return (
      `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
      `<text x="${W - m.r - 4}" y="${m.t + 12 + i * 13}" font-size="10" text-anchor="end" fill="${color}">${escapeHtml(s.label)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(o.title)}">${axes.join('')}${lines.join('')}</svg>`;
}

export function confusionMatrixSvg(c: { tp: number; fp: number; tn: number; fn: number }, title: string): string {
  const cells = [
    ['actual 1, predicted 1', c.tp, 0, 0],
    ['actual 1, predicted 0', c.fn, 1, 0],
    ['actual 0, predicted 1', c.fp, 0, 1],
    ['actual 0, predicted 0', c.tn, 1, 1],
  ] as const;
  const max = Math.max(1, c.tp, c.fp, c.tn, c.fn);
  const rects = cells.map(([label, v, col, row]) => {
    const x = 90 + col * 110;
    const y = 40 + row * 70;
    const shade = Math.round(235 - (v / max) * 150);
    return (
      `<rect x="${x}" y="${y}" width="106" height="66" fill="rgb(${shade},${shade},255)"><title>${label}</title></rect>` +
      `<text x="${x + 53}" y="${y + 38}" font-size="16" text-anchor="middle">${v}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" width="320" height="200" role="img" aria-label="${escapeHtml(title)}">` +
    `<text x="160" y="16" font-size="13" font-weight="bold" text-anchor="middle">${escapeHtml(title)}</text>` +
    `<text x="145" y="34" font-size="10" text-anchor="middle">predicted 1</text><text x="255" y="34" font-size="10" text-anchor="middle">predicted 0</text>` +
    `<text x="84" y="78" font-size="10" text-anchor="end">actual 1</text><text x="84" y="148" font-size="10" text-anchor="end">actual 0</text>` +
    `${rects.join('')}</svg>`
  );
}
