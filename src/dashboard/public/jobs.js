// Batch jobs panel: recent uploads with their state and progress; refreshed while any job is still going.
import { api } from './api.js';
import { clear, dateTime, h, num } from './dom.js';

const ACTIVE = new Set(['queued', 'running']);

function progress(job) {
  const total = job.rowsTotal;
  const bar = total
    ? h('progress', { max: total, value: job.rowsDone })
    : h('progress', ACTIVE.has(job.state) ? {} : { max: 1, value: 1 });
  const rate = job.state === 'running' && job.rowsPerSecond ? ` · ${num(Math.round(job.rowsPerSecond))} rows/s` : '';
  const errors = job.errors ? ` · ${num(job.errors)} bad rows` : '';
  return h(
    'div',
    { class: 'progress' },
    bar,
    h('span', { class: 'small' }, `${num(job.rowsDone)}${total ? ` / ${num(total)}` : ''} rows${rate}${errors}`),
  );
}

/** Returns whether any job is still queued or running, so the caller can poll again. */
export async function loadJobs(body) {
  const { jobs } = await api('/v1/jobs?limit=8');
  if (!jobs.length) {
    clear(
      body,
      h(
        'p',
        { class: 'muted' },
        'No batch jobs yet. Upload a CSV or JSONL file to POST /v1/jobs to score it in the background.',
      ),
    );
    return { state: 'empty', active: false };
  }
  const rows = jobs.map((j) =>
    h(
      'tr',
      { 'data-job-state': j.state },
      h(
        'td',
        {},
        h('span', { class: 'small' }, j.input?.filename ?? `${j.input?.format ?? ''} upload`),
        h('br'),
        h('code', { class: 'small muted' }, j.id.slice(0, 8)),
      ),
      h('td', {}, h('span', { class: `state state-${j.state}` }, j.state)),
      h('td', {}, progress(j), j.error ? h('p', { class: 'error small' }, j.error) : null),
      h('td', { class: 'small' }, dateTime(j.createdAt)),
    ),
  );
  clear(
    body,
    h(
      'table',
      { class: 'jobs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Input', 'State', 'Progress', 'Started'].map((c) => h('th', {}, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
  return { state: 'ready', active: jobs.some((j) => ACTIVE.has(j.state)) };
}
