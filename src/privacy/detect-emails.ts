// E-mail addresses, including internationalised local parts and domains (letters of any script).
import type { PiiSpan } from './pii-span';

const LOCAL_CHAR = /[\p{L}\p{N}._%+\-'!#$&*=?^`{|}~]/u;
// label(.label)*.tld after the "@". The TLD is letters only, so a trailing full stop or a version number is not taken
// in; parts are bounded by their RFC 5321 sizes (63 per label), which also keeps the work per "@" small.
const DOMAIN = /(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.){1,8}\p{L}{2,63}(?![\p{L}\p{N}])/uy;
const MAX_LOCAL = 64;

/** Anchored on each "@" (not a scan of every position), so the cost is linear in the text whatever it holds. */
export function detectEmails(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > lastEnd && at - start < MAX_LOCAL) {
      const width = charWidthBefore(text, start);
      if (!LOCAL_CHAR.test(text.slice(start - width, start))) break;
      start -= width;
    }
    // Quotes and dots are legal in a local part but are far more often the sentence around it.
    while (start < at && /['.]/.test(text[start])) start++;
    if (start === at) continue;
    DOMAIN.lastIndex = at + 1;
    const domain = DOMAIN.exec(text);
    if (!domain) continue;
    lastEnd = at + 1 + domain[0].length;
    spans.push({ kind: 'email', start, end: lastEnd });
  }
  return spans;
}

/** 2 when the character ending at `end` is a surrogate pair (a letter outside the BMP is tested whole). */
function charWidthBefore(text: string, end: number): number {
  const low = text.charCodeAt(end - 1);
  const high = end >= 2 ? text.charCodeAt(end - 2) : 0;
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
}
