import { describe, expect, it } from 'vitest';
import { parseTranscript, transcriptText } from '../../src/text/chat-transcript';

describe('chat transcripts', () => {
  const prefixed =
    'Agent: Hello, how can I help?\nCustomer: My bill doubled again.\nI want to cancel.\nAgent: I am sorry to hear that.';

  it('parses turn prefixes, folding continuation lines into the turn', () => {
    expect(parseTranscript(prefixed)).toEqual([
      { role: 'agent', text: 'Hello, how can I help?' },
      { role: 'customer', text: 'My bill doubled again.\nI want to cancel.' },
      { role: 'agent', text: 'I am sorry to hear that.' },
    ]);
  });

  it('drops agent turns by default policy and keeps them labelled otherwise', () => {
    expect(transcriptText(prefixed, 'drop')).toBe('My bill doubled again.\nI want to cancel.');
    expect(transcriptText(prefixed, 'keep')).toMatch(/^Agent: Hello.*\nCustomer: My bill/s);
  });

  it('reads JSON arrays of {role, text}', () => {
    const json = JSON.stringify([
      { role: 'user', text: 'Where is my refund?' },
      { role: 'support', text: 'Checking.' },
    ]);
    expect(transcriptText(json, 'drop')).toBe('Where is my refund?');
  });

  it('leaves ordinary text, and JSON that is not a transcript, untouched', () => {
    expect(transcriptText('The coffee was stale: never again.', 'drop')).toBe('The coffee was stale: never again.');
    expect(transcriptText('[1, 2, 3]', 'drop')).toBe('[1, 2, 3]');
  });
});
