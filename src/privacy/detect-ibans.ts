// IBANs, written compact or in groups of four, upper or lower case; accepted only when their mod-97 check holds.
import { isWordChar, NUMBER_SPACES, scanCandidates, type PiiSpan } from './pii-span';

/** IBAN length by country (ISO 13616 registry) for the countries most customers write from. */
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};
const SPACE_CODES = new Set([...NUMBER_SPACES].map((c) => c.charCodeAt(0)));
const MIN = 15;
const MAX = 34;

// Two letters, two check digits, then letters/digits optionally separated by single spaces; trimmed to size below.
const CANDIDATE = new RegExp(
  `(?<![\\p{L}\\p{N}_])[A-Za-z]{2}\\d{2}(?:[${NUMBER_SPACES}]?[A-Za-z0-9]){${MIN - 4},${MAX - 4}}`,
  'gu',
);

/** ISO 7064 mod 97-10 over the rearranged IBAN, letters as 10..35, computed piecewise to stay in safe integers. */
export function ibanChecksumValid(compact: string): boolean {
  const s = (compact.slice(4) + compact.slice(0, 4)).toUpperCase();
  let rest = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const v = code >= 65 && code <= 90 ? code - 55 : code >= 48 && code <= 57 ? code - 48 : -1;
    if (v < 0) return false;
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

export function detectIbans(text: string): PiiSpan[] {
  return scanCandidates(text, CANDIDATE, { kind: 'iban', retryInside: true }, (candidate, at) => {
    if (isWordChar(text[at - 1])) return null;
    const length = longestValid(candidate);
    return length !== null && !isWordChar(text[at + length]) ? [at, at + length] : null;
  });
}

/** Length in characters of the longest valid IBAN the candidate starts with, or null. */
function longestValid(candidate: string): number | null {
  // Where each IBAN character ends in the candidate, so a compact length maps back to a written length.
  const ends: number[] = [];
  let compact = '';
  for (let i = 0; i < candidate.length; i++) {
    if (SPACE_CODES.has(candidate.charCodeAt(i))) continue;
    compact += candidate[i];
    ends.push(i + 1);
  }
  const known = LENGTHS[compact.slice(0, 2).toUpperCase()];
  const lengths = known !== undefined ? [known] : range(Math.min(MAX, compact.length), MIN);
  for (const n of lengths) {
    if (n > compact.length) continue;
    const iban = compact.slice(0, n);
    // Mixed case is a word that happens to check out, not an IBAN someone typed.
    if (iban !== iban.toUpperCase() && iban !== iban.toLowerCase()) continue;
    if (ibanChecksumValid(iban)) return ends[n - 1];
  }
  return null;
}

function range(from: number, downTo: number): number[] {
  const out: number[] = [];
  for (let n = from; n >= downTo; n--) out.push(n);
  return out;
}
