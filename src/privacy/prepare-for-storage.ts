// The one gate between a customer's text and the database: applies the privacy policy to the text and to the phrases quoted from it.
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';
import { DEFAULT_PRIVACY_POLICY, STORE_TEXT_MODES, type PrivacyPolicy } from './privacy-policy';
import { mapOffset, redact, type Redaction } from './redact';

/** A span of the text as scored (phrase drivers have this shape); extra fields such as weight are kept. */
export interface QuotedSpan {
  text: string;
  start: number;
  end: number;
}

export type StoredSpan<T extends QuotedSpan> = Omit<T, 'text'> & {
  /** null when the policy keeps no text. */
  text: string | null;
};

export interface StoredText<T extends QuotedSpan = QuotedSpan> {
  /** What the texts table keeps in `text`: the original, the redacted text, or null. */
  text: string | null;
  /** SHA-256 (hex) of the original text, whatever the policy, so duplicates are still recognised. */
  hash: string;
  /** The first characters of the redacted text, "…" marking a cut; null when the policy keeps no snippet. */
  snippet: string | null;
  /**
   * The quoted spans under the same policy. full: unchanged. redacted: text and offsets refer to the redacted text
   * (a span cut through a value takes the whole placeholder). none: text null, offsets still those of the original.
   */
  spans: StoredSpan<T>[];
}

/**
 * Scoring sees the raw text; this decides what is written down. Every path that stores a customer's text (online
 * scoring, batch jobs) calls it, and stores exactly what it returns.
 */
export function prepareForStorage<T extends QuotedSpan = QuotedSpan>(
  text: string,
  policy: PrivacyPolicy = DEFAULT_PRIVACY_POLICY,
  opts: { spans?: readonly T[] } = {},
): StoredText<T> {
  if (typeof text !== 'string') throw new ValidationError('text must be a string to be stored', { field: 'text' });
  if (!STORE_TEXT_MODES.includes(policy.storeText)) {
    throw new ValidationError(`privacy.storeText must be one of ${STORE_TEXT_MODES.join(', ')}`, {
      field: 'privacy.storeText',
    });
  }
  const hash = createHash('sha256').update(text).digest('hex');
  // Only the redacted mode keeps more than the snippet; the others need the beginning redacted, with room for a value
  // that starts inside the snippet and runs past it (e-mail addresses are at most 254 characters).
  const source = policy.storeText === 'redacted' ? text : text.slice(0, 2 * Math.max(0, policy.snippetChars) + 512);
  const redaction = redact(source);
  const snippet = cut(redaction.text, policy.snippetChars, source.length < text.length);
  const spans = opts.spans ?? [];
  switch (policy.storeText) {
    case 'full':
      return { text, hash, snippet, spans: spans.map((s) => ({ ...s })) };
    case 'redacted':
      return { text: redaction.text, hash, snippet, spans: spans.map((s) => redactSpan(s, redaction)) };
    case 'none':
      return { text: null, hash, snippet, spans: spans.map((s) => ({ ...s, text: null })) };
  }
}

function redactSpan<T extends QuotedSpan>(span: T, redaction: Redaction): StoredSpan<T> {
  const start = mapOffset(redaction.replacements, span.start, 'start');
  const end = mapOffset(redaction.replacements, span.end, 'end');
  // Taken from the redacted whole, not redacted on its own: a value cut in half by the span would not be recognised.
  return { ...span, start, end, text: redaction.text.slice(start, end) };
}

/** By code points, so a cut never leaves half a surrogate pair. */
function cut(text: string, chars: number, more: boolean): string | null {
  if (!Number.isInteger(chars) || chars <= 0) return null;
  // chars code points take at most 2 * chars UTF-16 units: the head is enough to know whether and where to cut.
  const head = Array.from(text.slice(0, 2 * chars + 2));
  if (head.length <= chars && !more) return text;
  // A placeholder cut in half ("[PHO") reads as noise: leave it out whole.
  return `${head
    .slice(0, chars)
    .join('')
    .replace(/\[[A-Z]*$/, '')
    .trimEnd()}…`;
}
