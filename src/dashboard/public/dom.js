// Tiny DOM and SVG builders plus number/date formatting; text always goes in as text nodes, never as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  return node;
}

/** An HTML element: h('p', { class: 'note' }, 'text', child, ...). */
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** An SVG element, same calling convention as h(). */
export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export const pct = (x, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
export const num = (x) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US'));
export const fixed = (x, digits = 3) => (x === null || x === undefined ? '–' : Number(x).toFixed(digits));

export function shortDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function dateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Shortens long customer texts for lists, on a word boundary where one is near. */
export function excerpt(text, max = 220) {
  if (typeof text !== 'string') return '';
  // Exported reviews carry HTML line breaks, sometimes cut in half by phrase boundaries.
  const clean = text
    .replace(/<br\s*\/?>?|(^|\s)\/>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  const cut = clean.lastIndexOf(' ', max);
  return `${clean.slice(0, cut > max * 0.7 ? cut : max)}…`;
}

/** The band a risk falls in, from the active model's thresholds; null when they are not known. */
export function bandFor(risk, thresholds) {
  if (!thresholds || typeof risk !== 'number') return null;
  if (risk >= thresholds.critical) return 'critical';
  if (risk >= thresholds.high) return 'high';
  if (risk >= thresholds.medium) return 'medium';
  return 'low';
}

/** A pill coloured by risk band, showing the risk as a percentage. */
export function riskPill(risk, band) {
  return h('span', { class: `pill band-${band ?? 'unknown'}`, title: band ? `${band} risk` : 'risk' }, pct(risk));
}
