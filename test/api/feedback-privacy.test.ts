import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/api/error-handler';
import { feedbackRouter } from '../../src/api/routes/feedback';
import { silentLogger } from '../../src/logging';
import type { PrivacyPolicy } from '../../src/privacy';
import type { FeedbackInput, Store } from '../../src/store';

/** Posts one feedback through the real router over a store that only records what it is asked to insert. */
async function storedNote(note: string, privacy?: PrivacyPolicy): Promise<string | undefined> {
  const inserted: FeedbackInput[] = [];
  const store = {
    texts: { get: async () => ({ id: 't1' }) },
    feedback: { insert: async (f: FeedbackInput) => (inserted.push(f), 'f1') },
  } as unknown as Store;
  const app = express().use(express.json()).use(feedbackRouter({ store, privacy })).use(errorHandler(silentLogger()));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ textId: 't1', outcome: 'churned', note }),
    });
    expect(res.status).toBe(201);
    return inserted[0].note ?? undefined;
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('feedback notes under the privacy policy', () => {
  const note = 'Customer (jane.doe@example.com, card 4111 1111 1111 1111) says she is leaving';

  it('redacts personal data by default and when no text is kept', async () => {
    for (const policy of [undefined, { storeText: 'none', snippetChars: 80 } as const]) {
      const stored = await storedNote(note, policy);
      expect(stored).toContain('[EMAIL]');
      expect(stored).toContain('[CARD]');
      expect(stored).not.toMatch(/jane\.doe|4111/);
      expect(stored).toContain('says she is leaving');
    }
  });

  it('keeps the note as written when the policy keeps full texts', async () => {
    expect(await storedNote(note, { storeText: 'full', snippetChars: 80 })).toBe(note);
  });
});
