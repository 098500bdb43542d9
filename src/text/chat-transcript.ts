// Chat transcripts: parse turn-prefixed text or a JSON array of {role, text}, and keep the customer's words where the signal is.

export type TurnRole = 'customer' | 'agent';
export interface ChatTurn {
  role: TurnRole;
  text: string;
}

/** drop: customer turns only (default; agents' scripted apologies read as negative). keep: every turn. */
export type AgentTurnPolicy = 'drop' | 'keep';

const CUSTOMER_ROLES = new Set(['customer', 'user', 'client', 'caller', 'member']);
const AGENT_ROLES = new Set(['agent', 'support', 'rep', 'representative', 'assistant', 'bot', 'operator', 'advisor']);
const PREFIX =
  /^\s*(customer|user|client|caller|member|agent|support|rep|representative|assistant|bot|operator|advisor)\s*:\s*/i;

function roleOf(name: string): TurnRole | undefined {
  const n = name.trim().toLowerCase();
  if (CUSTOMER_ROLES.has(n)) return 'customer';
  if (AGENT_ROLES.has(n)) return 'agent';
  return undefined;
}

/** Returns the turns, or undefined when the text is not a transcript (a plain review or ticket). */
export function parseTranscript(raw: string): ChatTurn[] | undefined {
  const trimmed = raw.trim();
  if (trimmed.startsWith('[')) {
    try {
      const arr: unknown = JSON.parse(trimmed);
      if (Array.isArray(arr) && arr.length > 0 && arr.every(isTurnObject)) {
        return arr.map((t) => ({ role: roleOf(t.role) ?? 'customer', text: t.text }));
      }
    } catch {
      // Not JSON after all: treat as prose.
    }
  }
  const lines = raw.split(/\r?\n/);
  if (!lines.some((l) => PREFIX.test(l))) return undefined;
  const turns: ChatTurn[] = [];
  for (const line of lines) {
    const m = PREFIX.exec(line);
    if (m) turns.push({ role: roleOf(m[1]) ?? 'customer', text: line.slice(m[0].length) });
    else if (turns.length > 0 && line.trim()) turns[turns.length - 1].text += `\n${line}`;
    else if (line.trim()) turns.push({ role: 'customer', text: line });
  }
  return turns;
}

function isTurnObject(t: unknown): t is { role: string; text: string } {
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof (t as { role?: unknown }).role === 'string' &&
    typeof (t as { text?: unknown }).text === 'string'
  );
}

/** The text the model scores: plain text unchanged, transcripts reduced per policy (turns joined by newlines). */
export function transcriptText(raw: string, policy: AgentTurnPolicy): string {
  const turns = parseTranscript(raw);
  if (!turns) return raw;
  const kept = policy === 'drop' ? turns.filter((t) => t.role === 'customer') : turns;
  return kept
    .map((t) => (policy === 'keep' ? `${t.role === 'agent' ? 'Agent' : 'Customer'}: ${t.text}` : t.text))
    .join('\n');
}
