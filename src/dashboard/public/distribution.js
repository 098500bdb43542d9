// Risk distribution panel: how scored texts spread over risk, with the active model's band thresholds marked.
import { api, queryString } from './api.js';
import { histogram } from './charts.js';
import { clear, h, num } from './dom.js';

export async function loadDistribution(body, ctx) {
  const { from, to, source } = ctx.filters;
  const data = await api(`/v1/stats/risk-distribution${queryString({ bins: 20, from, to, source })}`);
  if (data.total === 0) {
    clear(body, h('p', { class: 'muted' }, 'No scored texts match these filters yet.'));
    return 'empty';
  }
  const t = ctx.thresholds;
  const legend = t
    ? h(
        'p',
        { class: 'legend' },
        ['low', 'medium', 'high', 'critical'].map((b) => h('span', { class: `key band-${b}` }, b)),
        h('span', { class: 'muted' }, ' bands as set by the active model'),
      )
    : null;
  clear(
    body,
    h('p', { class: 'summary' }, h('strong', {}, num(data.total)), ' scored texts'),
    histogram(data.bins, { thresholds: t }),
    legend,
  );
  return 'ready';
}
