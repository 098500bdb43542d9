// The storage policy: what each mode keeps of a text and of the phrases quoted from it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIVACY_POLICY, prepareForStorage, type PrivacyPolicy } from '../../src/privacy';

const text = 'Cancel now. Reach me at jo@ex.com or +44 20 7946 0958, I want a refund to GB82WEST12345698765432.';
const sha = createHash('sha256').update(text).digest('hex');
const phrase = (s: string, weight: number) => ({
  text: s,
  start: text.indexOf(s),
  end: text.indexOf(s) + s.length,
  weight,
});
const phrases = [
  phrase('Cancel now.', 0.4),
  phrase('Reach me at jo@ex.com or +44 20 7946 0958,', 0.1),
  phrase('me at jo@ex', -0.01),
];
const policy = (storeText: PrivacyPolicy['storeText'], snippetChars = 40): PrivacyPolicy => ({
  storeText,
  snippetChars,
});

describe('prepareForStorage', () => {
  it('redacts by default, hashing the original text', () => {
    expect(DEFAULT_PRIVACY_POLICY.storeText).toBe('redacted');
    const kept = prepareForStorage(text);
    expect(kept.text).toBe('Cancel now. Reach me at [EMAIL] or [PHONE], I want a refund to [IBAN].');
    expect(kept.hash).toBe(sha);
  });

  it('full keeps the text and phrases as they are, with a redacted snippet', () => {
    const kept = prepareForStorage(text, policy('full'), { spans: phrases });
    expect(kept.text).toBe(text);
    expect(kept.spans).toEqual(phrases);
    expect(kept.snippet).toBe('Cancel now. Reach me at [EMAIL] or…');
  });

  it('redacted re-points phrases into the redacted text and never keeps part of a value', () => {
    const kept = prepareForStorage(text, policy('redacted'), { spans: phrases });
    expect(kept.spans.map((p) => [p.text, p.weight])).toEqual([
      ['Cancel now.', 0.4],
      ['Reach me at [EMAIL] or [PHONE],', 0.1],
      // Cut through the address in the original: the stored phrase takes the whole placeholder instead of "jo@ex".
      ['me at [EMAIL]', -0.01],
    ]);
    for (const p of kept.spans) expect(kept.text!.slice(p.start, p.end)).toBe(p.text);
  });

  it('none keeps no text: only the hash, a redacted snippet and phrase weights', () => {
    const kept = prepareForStorage(text, policy('none', 30), { spans: phrases });
    expect(kept.text).toBeNull();
    expect(kept.hash).toBe(sha);
    expect(kept.snippet).toBe('Cancel now. Reach me at…');
    expect(kept.spans.map((p) => [p.text, p.weight])).toEqual([
      [null, 0.4],
      [null, 0.1],
      [null, -0.01],
    ]);
    expect(JSON.stringify(kept)).not.toMatch(/jo@ex|7946|GB82|refund/);
  });

  it('snippets: whole short texts, no half surrogate pairs, none when snippetChars is 0', () => {
    expect(prepareForStorage('short 😀', policy('none', 80)).snippet).toBe('short 😀');
    expect(prepareForStorage('😀'.repeat(10), policy('none', 3)).snippet).toBe('😀😀😀…');
    expect(prepareForStorage('anything', policy('none', 0)).snippet).toBeNull();
  });

  it('none on a long text: a value straddling the snippet end is still redacted', () => {
    const long = `${'x'.repeat(70)} jo@example.com ${'y'.repeat(100_000)}`;
    const kept = prepareForStorage(long, policy('none', 80));
    expect(kept.snippet).toBe(`${'x'.repeat(70)} [EMAIL] y…`);
  });

  it('refuses an unknown mode naming the setting and its values', () => {
    expect(() => prepareForStorage('x', { storeText: 'some' as 'none', snippetChars: 10 })).toThrow(
      /privacy\.storeText must be one of full, redacted, none/,
    );
  });
});
