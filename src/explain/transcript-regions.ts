// Finds where in a chat transcript the explainable words are: turn contents without role labels, agent turns optional.
import { parseTranscript, type AgentTurnPolicy } from '../text/chat-transcript';
import type { TextSpan } from './text-span';

/**
 * Plain text is one region. For a turn-prefixed transcript each line's content (after "Customer:" etc.) is a region,
 * and with policy 'drop' agent lines are left out: agents' scripted apologies read as negative, and a retention team
 * needs the customer's words, the same reasoning as training's default. JSON transcripts are explained as plain text,
 * since offsets into the JSON source are what a caller could highlight.
 */
export function transcriptRegions(text: string, policy: AgentTurnPolicy): TextSpan[] {
  const whole = [{ start: 0, end: text.length }];
  if (text.trimStart().startsWith('[') || parseTranscript(text) === undefined) return whole;
  const regions: TextSpan[] = [];
  let role: 'customer' | 'agent' = 'customer';
  let lineStart = 0;
  for (const line of text.split('\n')) {
    // Parsing the line alone tells its role and, from how much text remains, how long its label is.
    const turn = line.trimStart().startsWith('[') ? undefined : parseTranscript(line)?.[0];
    if (turn) role = turn.role;
    const contentStart = lineStart + (turn ? line.length - turn.text.length : 0);
    if (policy === 'keep' || role === 'customer') regions.push({ start: contentStart, end: lineStart + line.length });
    lineStart += line.length + 1;
  }
  return regions;
}
