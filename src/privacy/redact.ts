// Replaces e-mail addresses, IBANs, card numbers and phone numbers with typed placeholders ([EMAIL], [IBAN], [CARD], [PHONE]).
import { detectCards } from './detect-cards';
import { detectEmails } from './detect-emails';
import { detectIbans } from './detect-ibans';
import { detectPhones } from './detect-phones';
import type { PiiDetector, PiiKind, PiiSpan } from './pii-span';

export const PLACEHOLDERS: Readonly<Record<PiiKind, string>> = {
  email: '[EMAIL]',
  phone: '[PHONE]',
  card: '[CARD]',
  iban: '[IBAN]',
};

// Most specific first: an e-mail can hold digits, an IBAN a card-length run of digits, a card a phone-like one.
const DETECTORS: readonly PiiDetector[] = [detectEmails, detectIbans, detectCards, detectPhones];

export interface Replacement extends PiiSpan {
  /** What stands in the redacted text instead of text.slice(start, end). */
  placeholder: string;
}

export interface Redaction {
  text: string;
  /** In text order, offsets into the original text; never overlapping. */
  replacements: Replacement[];
}

export function redact(text: string): Redaction {
  let masked = text;
  const found: PiiSpan[] = [];
  for (const detect of DETECTORS) {
    const spans = detect(masked);
    found.push(...spans);
    masked = mask(masked, spans);
  }
  const replacements = found
    .sort((a, b) => a.start - b.start)
    .map((s): Replacement => ({ ...s, placeholder: PLACEHOLDERS[s.kind] }));
  let out = '';
  let at = 0;
  for (const r of replacements) {
    out += text.slice(at, r.start) + r.placeholder;
    at = r.end;
  }
  return { text: out + text.slice(at), replacements };
}

/**
 * Blanks the spans out at the same length, so offsets stay those of the original; NUL is neither a digit, a letter
 * nor a separator, so later detectors neither see the value nor glue its neighbours together.
 */
function mask(text: string, spans: readonly PiiSpan[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const s of spans) {
    parts.push(text.slice(at, s.start), '\u0000'.repeat(s.end - s.start));
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Where an offset of the original text lands in the redacted one. An offset inside a replaced value moves to the
 * placeholder's start (side 'start') or end (side 'end'), so a span cut through a value takes the whole placeholder
 * and never a piece of the value.
 */
export function mapOffset(replacements: readonly Replacement[], offset: number, side: 'start' | 'end'): number {
  let shift = 0;
  for (const r of replacements) {
    if (offset <= r.start) break;
    if (offset < r.end) return r.start + shift + (side === 'start' ? 0 : r.placeholder.length);
    shift += r.placeholder.length - (r.end - r.start);
  }
  return offset + shift;
}
