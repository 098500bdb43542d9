// The dashboard's entry point: reads the filters and key, then loads every panel independently of the others.
import { api, apiKey } from './api.js';
import { loadCustomers } from './customers.js';
import { loadDistribution } from './distribution.js';
import { loadDrift } from './drift.js';
import { loadJobs } from './jobs.js';
import { renderModelCard } from './model-card.js';
import { runPanel } from './panel.js';
import { runProbe } from './probe.js';
import { loadThemes } from './themes.js';

const JOBS_POLL_MS = 5000;
const $ = (id) => document.getElementById(id);

/** What every panel reads: the filters in force and the active model's band thresholds (once its card is in). */
const ctx = { filters: {}, thresholds: null };
let jobsTimer = null;

function readFilters() {
  const form = new FormData($('filters'));
  const filters = {};
  for (const name of ['from', 'to', 'source', 'segment']) {
    const v = String(form.get(name) ?? '').trim();
    if (v) filters[name] = v;
  }
  const minRisk = String(form.get('minRisk') ?? '').trim();
  if (minRisk !== '') filters.minRisk = Number(minRisk);
  return filters;
}

async function loadModel() {
  await runPanel(
    $('model'),
    async (body) => {
      const card = await api('/v1/models/active/card');
      ctx.thresholds = card.bands?.thresholds ?? null;
      $('model-version').textContent = `model ${card.version}`;
      return renderModelCard(body, card);
    },
    { unavailable: 'This server does not publish model cards.' },
  );
}

async function loadJobsPanel() {
  clearTimeout(jobsTimer);
  let active = false;
  await runPanel(
    $('jobs'),
    async (body) => {
      const r = await loadJobs(body);
      active = r.active;
      return r.state;
    },
    { unavailable: 'Batch jobs are not enabled on this server.' },
  );
  if (active) jobsTimer = setTimeout(loadJobsPanel, JOBS_POLL_MS);
}

function probe() {
  const query = $('probe-query').value.trim();
  if (!query) return Promise.resolve();
  return runPanel($('probe'), (body) => runProbe(body, query, ctx), {
    unavailable: 'Themes are not enabled on this server, so topics cannot be probed.',
  });
}

function loadFiltered() {
  return Promise.all([
    runPanel($('distribution'), (body) => loadDistribution(body, ctx)),
    runPanel($('drift'), (body) => loadDrift(body, ctx), {
      unavailable: 'Drift monitoring is not enabled on this server.',
    }),
    runPanel($('themes'), (body) => loadThemes(body, ctx), { unavailable: 'Themes are not enabled on this server.' }),
    probe(),
  ]);
}

async function loadAll() {
  ctx.filters = readFilters();
  // The card first: its band thresholds colour the histogram and the risk pills everywhere else.
  await loadModel();
  await Promise.all([loadFiltered(), runPanel($('customers'), loadCustomers), loadJobsPanel()]);
  document.body.dataset.loaded = 'true';
}

function wireForms() {
  $('api-key').value = apiKey.get();
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    apiKey.set($('api-key').value.trim());
    void loadAll();
  });
  $('forget-key').addEventListener('click', () => {
    apiKey.set('');
    $('api-key').value = '';
    void loadAll();
  });
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.filters = readFilters();
    void loadFiltered();
  });
  $('probe-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void probe();
  });
}

wireForms();
void loadAll();
