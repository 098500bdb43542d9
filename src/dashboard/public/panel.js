// Runs one dashboard panel's load: loading, ready, empty, unavailable (route absent) or error, shown in place.
import { ApiError } from './api.js';
import { clear, h } from './dom.js';

/**
 * `load(body)` fills the panel and may return 'empty'. A failure stays inside its panel: the rest of the page
 * keeps working when one API is missing, refused or down.
 */
export async function runPanel(section, load, { unavailable = 'Not available on this server.' } = {}) {
  const body = section.querySelector('.panel-body');
  section.dataset.state = 'loading';
  section.setAttribute('aria-busy', 'true');
  if (!body.hasChildNodes()) clear(body, h('p', { class: 'muted' }, 'Loading…'));
  try {
    section.dataset.state = (await load(body)) ?? 'ready';
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError(0, e?.message ?? String(e));
    if (err.missing) {
      section.dataset.state = 'unavailable';
      clear(body, h('p', { class: 'muted' }, unavailable));
    } else if (err.needsKey) {
      section.dataset.state = 'needs-key';
      clear(
        body,
        h(
          'p',
          { class: 'notice' },
          'This panel needs an API key with read access: enter it at the top of the page. ',
          h('span', { class: 'muted' }, `(${err.message})`),
        ),
      );
    } else {
      section.dataset.state = 'error';
      clear(body, h('p', { class: 'error' }, err.message));
    }
  } finally {
    section.removeAttribute('aria-busy');
  }
}
