// Telephone numbers: international (+ or 00), national trunk-prefixed (0…), North American (555) 123-4567, or any digits after "call"/"tel".
import { isWordChar, NUMBER_DASHES, NUMBER_SPACES, scanCandidates, type PiiSpan } from './pii-span';

const S = `[${NUMBER_SPACES}]`;
const D = `[${NUMBER_DASHES}]`;
// Bounded, so that retrying inside a rejected candidate stays linear in the text.
const CANDIDATE = new RegExp(
  `(?<![\\p{L}\\p{N}_#@$€£¥.,])[+(]?\\d(?:[\\d${NUMBER_SPACES}${NUMBER_DASHES}./()]{0,30}\\d)?`,
  'gu',
);
/** What may stand between two digit groups: one space, dash, dot or slash; " - "; or parentheses around an area code. */
const SEPARATOR = new RegExp(`^(?:${S}|${D}|\\.|/|${S}${D}${S}|${S}?\\(|\\)(?:${S}|${D})?)$`, 'u');
const NANP = new RegExp(
  `^(?:1(?:${S}|${D}|\\.))?(?:\\([2-9]\\d{2}\\)${S}?|[2-9]\\d{2}(?:${S}|${D}|\\.))\\d{3}(?:${S}|${D}|\\.)\\d{4}$`,
  'u',
);
/** Numbers right after these words are identifiers customers quote, not phone numbers. */
const ID_CONTEXT =
  /(?:order|invoice|ticket|ref|reference|tracking|account|acct|customer|case|booking|confirmation|transaction|serial|sku|contract|policy|member|parcel|shipment|bestell|kunden|rechnungs|auftrags|commande|facture)\s*(?:number|num|no|nr|nummer|id|n°|#)?[\s.:#=-]*$/u;
/** After these words any plausible run of digits is taken for a phone number, whatever its format. */
const PHONE_CONTEXT =
  /(?:phone|tel|telephone|call|ring|mobile|cell|whatsapp|sms|text me|fax|telefon|handy|tél|téléphone|portable|número|numero)\b[^\p{N}]{0,20}$/u;

interface Group {
  digits: string;
  start: number;
  end: number;
}

export function detectPhones(text: string): PiiSpan[] {
  return scanCandidates(text, CANDIDATE, { kind: 'phone', retryInside: true }, (candidate, at) => {
    const groups = wellFormedGroups(candidate);
    const usable = groups.length;
    let context: { id: boolean; call: boolean } | undefined;
    // The candidate may run on into a date or count after the number: drop trailing groups until it reads as a phone.
    for (let n = usable; n >= 1; n--) {
      const end = groups[n - 1].end;
      const digits = groups
        .slice(0, n)
        .map((g) => g.digits)
        .join('');
      if (digits.length < 7 || digits.length > 17 || !endsCleanly(text, at + end)) continue;
      context ??= readContext(text, at);
      if (context.id && !candidate.startsWith('+')) return null;
      if (isPhone(candidate.slice(0, end), groups.slice(0, n), digits, context.call)) return [at, at + end];
    }
    return null;
  });
}

/** Looked at only once a candidate could be a phone: the words just before it. */
function readContext(text: string, at: number): { id: boolean; call: boolean } {
  const before = text.slice(Math.max(0, at - 40), at).toLowerCase();
  return { id: ID_CONTEXT.test(before), call: PHONE_CONTEXT.test(before) };
}

/** Not glued to a following word, and not the integer part of a decimal ("0123 456,78"). */
function endsCleanly(text: string, end: number): boolean {
  const next = text[end];
  if (isWordChar(next)) return false;
  return !(next !== undefined && '.,'.includes(next) && /\d/.test(text[end + 1] ?? ''));
}

function isPhone(written: string, groups: readonly Group[], digits: string, afterCall: boolean): boolean {
  if (!balanced(written)) return false;
  const separated = groups.length > 1;
  if (written.startsWith('+'))
    return (
      digits[0] !== '0' &&
      between(
        groups
          .filter((g) => !isTrunk(written, g))
          .map((g) => g.digits)
          .join('').length,
        8,
        15,
      )
    );
  if (/^00[1-9]/.test(digits)) return separated && between(digits.length - 2, 8, 15);
  if (/^\(?0[1-9]/.test(written)) return separated ? between(digits.length, 9, 12) : between(digits.length, 10, 11);
  if (NANP.test(written)) return true;
  return afterCall && between(digits.length, 7, 15);
}

/**
 * The leading digit groups joined by allowed separators, with no single-digit group after the first except a "(0)"
 * trunk: "0 5 10 15 20" or "1-2-3" stop being a phone at their second group. Parsing stops at the first break, which
 * keeps rejected candidates cheap (every group start of a long list of numbers is one).
 */
function wellFormedGroups(written: string): Group[] {
  const groups: Group[] = [];
  const digit = /\d+/g;
  let m: RegExpExecArray | null;
  while ((m = digit.exec(written)) !== null) {
    const g = { digits: m[0], start: m.index, end: m.index + m[0].length };
    const previous = groups[groups.length - 1];
    if (previous) {
      if (!SEPARATOR.test(written.slice(previous.end, g.start))) break;
      if (g.digits.length === 1 && !isTrunk(written, g)) break;
    }
    groups.push(g);
  }
  return groups;
}

/** At most one pair of parentheses, opened before closed, and at most one slash ("030/1234567"). */
function balanced(written: string): boolean {
  const open = written.split('(').length - 1;
  const close = written.split(')').length - 1;
  if (open !== close || open > 1 || written.indexOf('(') > written.indexOf(')')) return false;
  return written.split('/').length - 1 <= 1;
}

/** The "(0)" some people write after the country code: not dialled from abroad, not counted. */
function isTrunk(written: string, g: Group): boolean {
  return g.digits === '0' && written[g.start - 1] === '(' && written[g.end] === ')';
}

function between(n: number, min: number, max: number): boolean {
  return n >= min && n <= max;
}
