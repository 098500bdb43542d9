// Payment card numbers: 13–19 digits, compact or grouped with spaces/dashes, with a card-network prefix and a valid Luhn digit.
import { isWordChar, NUMBER_DASHES, NUMBER_SPACES, scanCandidates, type PiiSpan } from './pii-span';

const SEP = `[${NUMBER_SPACES}${NUMBER_DASHES}]`;
// Digit groups joined by one separator each; which groups make a card is decided below.
const MAX_GROUPS = 5;
const CANDIDATE = new RegExp(`(?<![\\p{L}\\p{N}_])\\d+(?:${SEP}\\d+)*`, 'gu');

/** Luhn (mod 10) check digit validation. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes and lengths of the networks in use (Visa 4: 13/16/19; Mastercard 51–55, 2221–2720: 16; Amex 34, 37:
 * 15; Maestro 50, 56–69, Discover/UnionPay/RuPay 6, Mir 2200–2204: 16–19; Diners 30, 36, 38, 39, JCB 35: 14–19).
 * Leading 0, 1, 7, 8, 9 are never cards: that alone keeps most order numbers and timestamps out.
 */
function plausibleNetwork(digits: string): boolean {
  const n = digits.length;
  if (/^3[47]/.test(digits)) return n === 15;
  if (/^4/.test(digits)) return n === 13 || n === 16 || n === 19;
  if (/^5[1-5]/.test(digits)) return n === 16;
  if (/^(?:5|6)/.test(digits)) return n >= 16;
  if (/^3[05689]/.test(digits)) return n >= 14;
  const four = Number(digits.slice(0, 4));
  return ((four >= 2200 && four <= 2204) || (four >= 2221 && four <= 2720)) && n >= 16;
}

/** How people write card numbers: all together, in fours (the last group shorter), or Amex/Diners 4-6-5 / 4-6-4. */
function plausibleGrouping(groups: readonly string[]): boolean {
  if (groups.length === 1) return true;
  const sizes = groups.map((g) => g.length);
  if (sizes.length === 3 && sizes[0] === 4 && sizes[1] === 6 && (sizes[2] === 5 || sizes[2] === 4)) return true;
  return sizes.slice(0, -1).every((n) => n === 4) && sizes[sizes.length - 1] >= 1 && sizes[sizes.length - 1] <= 4;
}

export function isCardNumber(groups: readonly string[]): boolean {
  const digits = groups.join('');
  return (
    digits.length >= 13 &&
    digits.length <= 19 &&
    plausibleGrouping(groups) &&
    plausibleNetwork(digits) &&
    luhnValid(digits)
  );
}

export function detectCards(text: string): PiiSpan[] {
  return scanCandidates(text, CANDIDATE, { kind: 'card', retryInside: false }, (candidate, at) => {
    if (candidate.length < 13) return null;
    const groups = [...candidate.matchAll(/\d+/g)].map((g) => ({
      digits: g[0],
      start: at + g.index,
      end: at + g.index + g[0].length,
    }));
    // Digits before each group, so a run's length is known before anything is joined or checked.
    const before = [0];
    for (const g of groups) before.push(before[before.length - 1] + g.digits.length);
    // A card can sit among other numbers ("ref 12 4111 1111 1111 1111 exp 12 26"): try every run of whole groups,
    // longest first. No accepted grouping has more than five groups, which also bounds the work on long digit lists.
    for (let size = Math.min(groups.length, MAX_GROUPS); size >= 1; size--) {
      for (let first = 0; first + size <= groups.length; first++) {
        const length = before[first + size] - before[first];
        if (length < 13 || length > 19) continue;
        const run = groups.slice(first, first + size);
        const glued = isWordChar(text[run[0].start - 1]) || isWordChar(text[run[run.length - 1].end]);
        if (!glued && isCardNumber(run.map((g) => g.digits))) return [run[0].start, run[run.length - 1].end];
      }
    }
    return null;
  });
}
