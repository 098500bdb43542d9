// What churnscope keeps of a customer's text: the whole text, a redacted copy, or only a hash and a redacted snippet.

/**
 * - full: the text as received (still hashed and snippeted like the others);
 * - redacted: the text with e-mails, phones, card numbers and IBANs replaced by placeholders;
 * - none: no text at all, only the hash of the original (for de-duplication) and a redacted snippet.
 */
export type StoreTextMode = 'full' | 'redacted' | 'none';
export const STORE_TEXT_MODES: readonly StoreTextMode[] = ['full', 'redacted', 'none'];

export interface PrivacyPolicy {
  storeText: StoreTextMode;
  /** Characters (code points) of redacted text kept as a display snippet; 0 keeps none. */
  snippetChars: number;
}

export const DEFAULT_PRIVACY_POLICY: PrivacyPolicy = { storeText: 'redacted', snippetChars: 80 };
