// PII redaction: each kind found in the formats people write, ordinary numbers left alone, offsets mapped through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapOffset, redact } from '../../src/privacy';
import { luhnValid } from '../../src/privacy/detect-cards';
import { ibanChecksumValid } from '../../src/privacy/detect-ibans';

const r = (text: string) => redact(text).text;

describe('e-mail addresses', () => {
  it.each([
    ['Mail me at john.doe+churn@example.co.uk.', 'Mail me at [EMAIL].'],
    ["(jane_o'neil@sub.mail-host.org)", '([EMAIL])'],
    ['Schreib an jürgen.müller@bücher.de bitte', 'Schreib an [EMAIL] bitte'],
    ['почта: иван@пример.рф!', 'почта: [EMAIL]!'],
    ['A@B.IO,c@d.com', '[EMAIL],[EMAIL]'],
  ])('redacts %j', (text, expected) => expect(r(text)).toBe(expected));

  it.each([['me@localhost'], ['@handle on twitter'], ['version 1.2@3 build'], ['a @ b . com'], ['user@host.c0m']])(
    'leaves %j alone',
    (text) => {
      expect(r(text)).toBe(text);
    },
  );
});

describe('IBANs', () => {
  it('checks the mod-97 digits', () => {
    expect(ibanChecksumValid('DE89370400440532013000')).toBe(true);
    expect(ibanChecksumValid('DE89370400440532013001')).toBe(false);
  });

  it.each([
    ['IBAN: DE89 3704 0044 0532 0130 00, thanks', 'IBAN: [IBAN], thanks'],
    ['GB82WEST12345698765432', '[IBAN]'],
    ['iban fr14 2004 1010 0505 0001 3m02 606 please', 'iban [IBAN] please'],
    ['NL91ABNA0417164300 and NO9386011117947', '[IBAN] and [IBAN]'],
    ['send it to DE89 3704 0044 0532 0130 00 AND refund', 'send it to [IBAN] AND refund'],
    ['XX12 DE89370400440532013000 ok', 'XX12 [IBAN] ok'],
  ])('redacts %j', (text, expected) => expect(r(text)).toBe(expected));

  it.each([
    ['GB82 WEST 1234 5698 7654 33'], // one digit off: the checksum fails
    ['GB82WEST1234569876543'], // one character short for GB
    ['De89370400440532013000'], // mixed case is a word, not a typed IBAN
    ['PRODUCTCODE AB12CDEF34567890 shipped'],
  ])('leaves %j alone', (text) => expect(r(text)).toBe(text));
});

describe('payment card numbers', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it.each([
    ['card 4111 1111 1111 1111 exp 12/26', 'card [CARD] exp 12/26'],
    ['4111-1111-1111-1111', '[CARD]'],
    ['mc 5500000000000004.', 'mc [CARD].'],
    ['amex 3782 822463 10005', 'amex [CARD]'],
    ['ref 12 4111 1111 1111 1111 12 26', 'ref 12 [CARD] 12 26'],
    ['no-break spaces 4111\u00a01111\u00a01111\u00a01111', 'no-break spaces [CARD]'],
    ['19 digits 6011 0000 0000 0000 001', '19 digits [CARD]'],
    ['visa 4111111111111111110', 'visa [CARD]'],
  ])('redacts %j', (text, expected) => expect(r(text)).toBe(expected));

  it.each([
    ['4111 1111 1111 1112'], // Luhn fails
    ['order 1234567890123456 arrived'], // no card network starts with 1
    ['tracking 9400111899223856928499'], // 22 digits
    ['41 11 11 11 11 11 11 11'], // not a card grouping
    ['SKU4111111111111111'], // glued to a word
    ['2024 2025 2026 2027'],
    ['3782 8224 6310 0052 6'], // Luhn-valid, but a 17-digit "Amex" does not exist
  ])('leaves %j alone', (text) => expect(r(text)).toBe(text));
});

describe('phone numbers', () => {
  it.each([
    ['call +44 20 7946 0958 tomorrow', 'call [PHONE] tomorrow'],
    ['+49 (0)30 1234567', '[PHONE]'],
    ['+1-202-555-0143', '[PHONE]'],
    ['ring 0044 20 7946 0958', 'ring [PHONE]'],
    ['mobile 0170-1234567 or 06 12 34 56 78', 'mobile [PHONE] or [PHONE]'],
    ['UK 07700 900123 and 07700900123', 'UK [PHONE] and [PHONE]'],
    ['(555) 123-4567, 555.123.4567 or 1-800-555-0199', '[PHONE], [PHONE] or [PHONE]'],
    ['Telefon: 030/1234567 — danke', 'Telefon: [PHONE] — danke'],
    ['call me at 5551234567', 'call me at [PHONE]'],
    ['tél. 06\u00a012\u00a034\u00a056\u00a078', 'tél. [PHONE]'],
  ])('redacts %j', (text, expected) => expect(r(text)).toBe(expected));

  it.each([
    ['order 0123456789 was late'],
    ['Order #100234567 arrived 2024-05-12'],
    ['paid $1,299.99 on 12.05.2024 at 10:30'],
    ['I have been a customer for 10 years, 3 months, paying 0.99 per unit'],
    ['scores 0 5 10 15 20 25 30'],
    ['ISBN 978-3-16-148410-0, zip 10115 Berlin'],
    ['between 2019 and 2023; 2024 2025 2026'],
    ['dates 01/05/2024 and 05.06.2024'],
    ['invoice no. 0044123456789'],
    ['price 1 299 000 and 120 000'],
    ['v2.0.10 build 1234567'],
  ])('leaves %j alone', (text) => expect(r(text)).toBe(text));
});

describe('redact', () => {
  it('redacts a mixed text once per value, in order, with offsets into the original', () => {
    const text =
      'Hi 👋 — I am jo@ex.com, card 4111 1111 1111 1111, IBAN GB82WEST12345698765432, call +44 20 7946 0958. Cancel!';
    const out = redact(text);
    expect(out.text).toBe('Hi 👋 — I am [EMAIL], card [CARD], IBAN [IBAN], call [PHONE]. Cancel!');
    expect(out.replacements.map((x) => [x.kind, text.slice(x.start, x.end)])).toEqual([
      ['email', 'jo@ex.com'],
      ['card', '4111 1111 1111 1111'],
      ['iban', 'GB82WEST12345698765432'],
      ['phone', '+44 20 7946 0958'],
    ]);
  });

  it('does not let a later kind re-read the digits of an earlier one', () => {
    // The e-mail's digits would read as a phone, the IBAN's as a card: each value gets exactly one placeholder.
    expect(r('0170123456789@example.com')).toBe('[EMAIL]');
    expect(r('NO9386011117947')).toBe('[IBAN]');
  });

  it('leaves text without personal data untouched, including astral characters', () => {
    const text = 'Ünïcödé 😀 𝔘𝔫𝔦 — the app crashes since 2.3.1 and costs €12.99/month; order 4711.';
    expect(redact(text)).toEqual({ text, replacements: [] });
  });

  it('maps offsets through placeholders; a span cut through a value takes the whole placeholder', () => {
    const text = 'mail a@b.com now';
    const { replacements } = redact(text); // "mail [EMAIL] now"
    expect(mapOffset(replacements, 0, 'start')).toBe(0);
    expect(mapOffset(replacements, 5, 'start')).toBe(5);
    expect(mapOffset(replacements, 8, 'start')).toBe(5);
    expect(mapOffset(replacements, 8, 'end')).toBe(12);
    expect(mapOffset(replacements, 12, 'end')).toBe(12);
    expect(mapOffset(replacements, 16, 'end')).toBe(16);
  });

  it('stays linear on long hostile inputs (no catastrophic backtracking)', () => {
    // Correctness on 100 KB inputs built to maximise candidates; each would take minutes if a pattern backtracked.
    for (const text of [
      '1 '.repeat(50_000),
      'a'.repeat(100_000),
      '+4'.repeat(50_000),
      'DE89 '.repeat(20_000),
      'a@'.repeat(50_000),
      '0-'.repeat(50_000),
    ]) {
      expect(redact(text).replacements).toEqual([]);
    }
  });
});

describe('redact on arbitrary input', () => {
  // Pieces that make detectors fire and almost fire, glued in random order with random unicode in between.
  const pieces = fc.constantFrom(
    'a@b.co',
    '+44 20 7946 0958',
    '4111 1111 1111 1111',
    'GB82WEST12345698765432',
    '0170',
    ' ',
    '-',
    '(',
    ')',
    '.',
    '@',
    '1',
    '00',
    'DE89',
  );
  const texts = fc
    .array(fc.oneof(pieces, fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 30 })
    .map((parts) => parts.join(''));

  it('never throws, and its replacements are ordered, disjoint and rebuild the redacted text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const { text: out, replacements } = redact(text);
        let rebuilt = '';
        let at = 0;
        for (const x of replacements) {
          expect(x.start).toBeGreaterThanOrEqual(at);
          expect(x.end).toBeGreaterThan(x.start);
          rebuilt += text.slice(at, x.start) + x.placeholder;
          at = x.end;
        }
        expect(rebuilt + text.slice(at)).toBe(out);
        // Offsets map monotonically and stay inside the redacted text.
        let last = 0;
        for (let i = 0; i <= text.length; i++) {
          const m = mapOffset(replacements, i, 'start');
          expect(m).toBeGreaterThanOrEqual(last);
          expect(m).toBeLessThanOrEqual(out.length);
          last = m;
        }
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});
