// Drift panel: how the filtered window of scored texts compares with the active model's validation reference (PSI, KS).
import { api, ApiError, queryString } from './api.js';
import { clear, fixed, h, num } from './dom.js';

const LABELS = {
  risk: 'text risk',
  tokens: 'length (tokens)',
  rare_share: 'rare-token share',
  centroid_distance: 'distance to validation centroid',
  source: 'source mix',
};

export async function loadDrift(body, ctx) {
  const { from, to, source } = ctx.filters;
  let report;
  try {
    report = await api(`/v1/monitoring/drift${queryString({ from, to, source })}`);
  } catch (e) {
    // Too few texts in the window is an answer, not a failure: say so in place.
    if (e instanceof ApiError && e.status === 422) {
      clear(body, h('p', { class: 'muted' }, e.message.replace(/^count: /, '')));
      return 'empty';
    }
    throw e;
  }
  if (report.reference === null) {
    clear(body, h('p', { class: 'muted' }, report.reason));
    return 'empty';
  }
  const drifted = report.signals.filter((s) => s.drifted).length;
  const rows = report.signals.map((s) =>
    h(
      'tr',
      { class: s.drifted ? 'drifted' : '' },
      h('td', {}, LABELS[s.name] ?? s.name),
      h('td', {}, fixed(s.psi)),
      h('td', {}, s.ks ? fixed(s.ks.statistic) : '–'),
      h('td', {}, fixed(s.threshold, 2)),
      h(
        'td',
        {},
        s.note ? h('span', { class: 'muted small' }, s.note) : s.drifted ? h('strong', {}, 'drifted') : 'stable',
      ),
    ),
  );
  clear(
    body,
    h(
      'p',
      { class: 'summary' },
      h('strong', {}, num(report.window.count)),
      ` texts from ${report.window.from.slice(0, 10)} to ${report.window.to.slice(0, 10)}: `,
      drifted ? h('strong', {}, `${drifted} signal${drifted > 1 ? 's' : ''} drifted`) : 'no signal drifted',
    ),
    h(
      'table',
      { class: 'drift' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['signal', 'PSI', 'KS', 'threshold', ''].map((t) => h('th', {}, t)),
        ),
      ),
      h('tbody', {}, rows),
    ),
    h('p', { class: 'muted small' }, `Against ${num(report.reference.texts)} validation texts of ${report.model}.`),
  );
  return 'ready';
}
