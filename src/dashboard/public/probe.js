// Probe panel: ask how often customers raise a topic ("price increase", "late delivery") and see the matching texts.
import { api } from './api.js';
import { sparkline } from './charts.js';
import { bandFor, clear, excerpt, fixed, h, num, pct, riskPill, shortDate } from './dom.js';

function match(m, ctx) {
  return h(
    'li',
    { class: 'match' },
    riskPill(m.risk, bandFor(m.risk, ctx.thresholds)),
    h('span', { class: 'match-text' }, excerpt(m.text, 240)),
    h(
      'span',
      { class: 'muted small' },
      ` ${m.source} · ${shortDate(m.createdAt)} · similarity ${fixed(m.similarity, 2)}`,
    ),
  );
}

export async function runProbe(body, query, ctx) {
  const data = await api('/v1/themes/probe', { method: 'POST', body: { query, filters: ctx.filters, limit: 20 } });
  const head = h(
    'div',
    { class: 'probe-summary' },
    h(
      'p',
      { class: 'summary' },
      h('strong', {}, pct(data.shareOfDissatisfied, 1)),
      ' of dissatisfied texts are about ',
      h('q', {}, data.query),
      ` · mean risk of matches ${pct(data.meanRisk)}`,
    ),
    h(
      'div',
      { class: 'theme-trend' },
      sparkline(data.weekly, { width: 180, height: 36 }),
      h('span', { class: 'muted small' }, 'weekly matches'),
    ),
  );
  if (!data.matches?.length) {
    clear(body, head, h('p', { class: 'muted' }, 'No stored text is close to this query.'));
    return 'empty';
  }
  clear(
    body,
    head,
    h('p', { class: 'muted small' }, `${num(data.matches.length)} closest texts`),
    h(
      'ol',
      { class: 'matches' },
      data.matches.map((m) => match(m, ctx)),
    ),
  );
  return 'ready';
}
