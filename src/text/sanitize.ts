// Makes arbitrary user text safe and deterministic to tokenize: well-formed UTF-16, no control characters but tab and line breaks.

// Without the `u` flag a regex sees UTF-16 code units, which is what finding an unpaired surrogate needs.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Every Unicode Cc character (C0, DEL, C1) except \t \n \r.
const CONTROL = /(?![\t\n\r])\p{Cc}/gu;

/**
 * Lone surrogates become U+FFFD: the native tokenizer receives UTF-8, which cannot carry them, and the
 * reference USE tokenizer already gives both the unknown id 0, so this changes no id.
 * Other control characters become a space: in real text they only act as separators (form feed, NEL,
 * NULs from bad exports); the reference would give them the unknown id and lose the word start after them.
 * Tab and line breaks are real review content and are kept (both tokenizers map them to the unknown id).
 */
export function sanitizeText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, ' ');
}
