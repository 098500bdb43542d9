// Themes panel: what dissatisfied customers write about, each theme with keywords, example quotes and a weekly trend.
import { api, queryString } from './api.js';
import { sparkline } from './charts.js';
import { bandFor, clear, dateTime, excerpt, fixed, h, num, pct, riskPill } from './dom.js';

function quote(q, ctx) {
  return h(
    'blockquote',
    { class: 'quote' },
    riskPill(q.risk, bandFor(q.risk, ctx.thresholds)),
    ' ',
    excerpt(q.text, 200),
  );
}

function themeCard(theme, ctx) {
  const lift =
    theme.churnLift === null || theme.churnLift === undefined
      ? null
      : h(
          'span',
          { class: 'stat', title: 'Churn rate of customers in this theme relative to all customers with an outcome' },
          `churn lift ×${fixed(theme.churnLift, 1)}`,
        );
  return h(
    'article',
    { class: 'theme', 'data-theme-id': theme.id },
    h(
      'header',
      {},
      h('h3', {}, theme.label),
      h('div', { class: 'theme-trend' }, sparkline(theme.weekly), h('span', { class: 'muted small' }, 'weekly')),
    ),
    h(
      'p',
      { class: 'stats' },
      h('span', { class: 'stat' }, `${num(theme.size)} texts`),
      h('span', { class: 'stat' }, 'mean risk ', riskPill(theme.meanRisk, bandFor(theme.meanRisk, ctx.thresholds))),
      lift,
    ),
    h(
      'p',
      { class: 'keywords' },
      (theme.keywords ?? []).map((k) => h('span', { class: 'chip' }, k)),
    ),
    (theme.quotes ?? []).slice(0, 2).map((q) => quote(q, ctx)),
  );
}

export async function loadThemes(body, ctx) {
  const data = await api(`/v1/themes${queryString(ctx.filters)}`);
  const summary = h(
    'p',
    { class: 'summary' },
    h('strong', {}, num(data.dissatisfiedTexts)),
    ' dissatisfied texts of ',
    num(data.totalTexts),
    ` · ${pct(data.unassignedShare)} in no theme · computed ${dateTime(data.computedAt)}`,
  );
  if (!data.themes?.length) {
    clear(
      body,
      summary,
      h('p', { class: 'muted' }, 'No themes yet: they appear once enough dissatisfied texts are stored.'),
    );
    return 'empty';
  }
  clear(
    body,
    summary,
    h(
      'div',
      { class: 'theme-grid' },
      data.themes.map((t) => themeCard(t, ctx)),
    ),
  );
  return 'ready';
}
