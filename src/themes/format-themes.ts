// A themes result as a plain-text table for terminals: one block per theme with its keywords and a quote.
import type { ThemesResult } from './theme-types';

const fmt = (x: number, digits = 2) => x.toFixed(digits);

export function formatThemesTable(result: ThemesResult, opts: { quoteChars?: number } = {}): string {
  const lines: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  lines.push(
    `${result.themes.length} themes over ${result.dissatisfiedTexts} dissatisfied texts of ${result.totalTexts} ` +
      `(text risk ≥ ${fmt(result.filters.minRisk)}); ${pct(result.unassignedShare)} in no theme`,
  );
  if (result.themes.length === 0) return `${lines[0]}\n`;
  lines.push('', '  #   size  share  risk   lift  trend      keywords');
  result.themes.forEach((t, i) => {
    const share = result.dissatisfiedTexts ? t.size / result.dissatisfiedTexts : 0;
    const lift = t.churnLift === null ? '    –' : `${fmt(t.churnLift).padStart(5)}`;
    lines.push(
      `${String(i + 1).padStart(3)} ${String(t.size).padStart(6)} ${pct(share).padStart(6)}  ${fmt(t.meanRisk)} ${lift}  ${trend(t.weekly.map((w) => w.count))}  ${t.keywords.join(', ')}`,
    );
    const quote = t.quotes[0];
    if (quote) lines.push(`${' '.repeat(12)}“${clip(quote.text, opts.quoteChars ?? 140)}”`);
  });
  return `${lines.join('\n')}\n`;
}

/** The last 8 weeks as a sparkline, scaled to the busiest of them. */
function trend(counts: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const last = counts.slice(-8);
  const max = Math.max(1, ...last);
  return (
    last
      .map((c) => bars[Math.min(7, Math.floor((c / max) * 7.999))])
      .join('')
      .padEnd(8) + ' '
  );
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
