// High-risk customers panel: who is most likely to leave, and what in their words or behaviour says so.
import { api } from './api.js';
import { clear, excerpt, h, riskPill, shortDate } from './dom.js';

function driver(d) {
  if (d.kind === 'phrase')
    return h(
      'span',
      { class: 'chip driver', title: `raises risk by ${(d.weight * 100).toFixed(1)} points` },
      `“${excerpt(d.label, 60)}”`,
    );
  const value = d.value === null || d.value === undefined ? '' : ` = ${d.value}`;
  return h(
    'span',
    { class: 'chip driver feature', title: `adds ${d.weight.toFixed(2)} to the log-odds` },
    `${d.label}${value}`,
  );
}

export async function loadCustomers(body) {
  const { customers } = await api('/v1/customers/at-risk?limit=15');
  if (!customers.length) {
    clear(body, h('p', { class: 'muted' }, 'No customer has a scored text yet.'));
    return 'empty';
  }
  const rows = customers.map((c) =>
    h(
      'tr',
      {},
      h('td', {}, h('code', {}, c.id)),
      h('td', {}, c.segment ?? h('span', { class: 'muted' }, '–')),
      h('td', {}, riskPill(c.risk, c.band)),
      h('td', {}, shortDate(c.lastTextAt)),
      h(
        'td',
        { class: 'drivers' },
        c.drivers.length ? c.drivers.map(driver) : h('span', { class: 'muted small' }, 'not explained'),
      ),
    ),
  );
  clear(
    body,
    h(
      'table',
      { class: 'customers' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Customer', 'Segment', 'Risk', 'Last text', 'Drivers'].map((c) => h('th', {}, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
  return 'ready';
}
